import { agentSkill } from './agent-skill';
import { agentStatus } from './agent-status';
import { automatedMessage } from './automated-message';
import { bot } from './bot';
import { insightBucket } from './insight-bucket';
import { insightSync } from './insight-sync';
import { capacityProfile } from './capacity-profile';
import { channel } from './channel';
import { chatWidget } from './chat-widget';
import { contextVariable } from './context-variable';
import { conversation } from './conversation';
import { message } from './message';
import { messageTemplate } from './message-template';
import { offer } from './offer';
import { operatingHours } from './operating-hours';
import { optOut } from './opt-out';
import { pushTicket } from './push-ticket';
import { routingRule } from './routing-rule';
import { session } from './session';
import { smsNumber } from './sms-number';
import { supervisorAction } from './supervisor-action';
import { supervisorDesk } from './supervisor-desk';
import { account, contact, incident, queue, systemUser } from './standard';
import { workstream } from './workstream';
import type { TableDef } from '../types';

export const tables: TableDef[] = [
  conversation,
  message,
  session,
  offer,
  workstream,
  routingRule,
  bot,
  capacityProfile,
  agentStatus,
  agentSkill,
  channel,
  smsNumber,
  chatWidget,
  contextVariable,
  messageTemplate,
  automatedMessage,
  operatingHours,
  optOut,
  supervisorAction,
  supervisorDesk,
  pushTicket,
  insightBucket,
  insightSync,
  contact,
  account,
  systemUser,
  queue,
  incident,
];
