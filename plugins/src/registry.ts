// Every step Switchboard registers, listed explicitly: adding a step means adding it here,
// and the steps.json build, the webhook service and the tests all read this one list.
import type { StepDefinition } from './step';
import { agentOnboardingStep } from './steps/agent-onboarding.step';
import { botConsultStep } from './steps/bot-consult.step';
import { conversationGuardStep } from './steps/conversation-guard.step';
import { conversationStateStep } from './steps/conversation-state.step';
import { floorStampsStep } from './steps/floor-stamps.step';
import { messageGuardStep } from './steps/message-guard.step';
import { offerGuardStep } from './steps/offer-guard.step';
import { outboundDeliveryStep } from './steps/outbound-delivery.step';
import { offerResponseStep } from './steps/offer-response.step';
import { phoneNormaliseStep } from './steps/phone-normalise.step';
import { pushRelayStep } from './steps/push-relay.step';
import { pushTicketStep } from './steps/push-ticket.step';
import { routingConfigStep } from './steps/routing-config.step';
import { supervisorAuditStep } from './steps/supervisor-audit.step';
import { supervisorGuardStep } from './steps/supervisor-guard.step';

export const stepRegistry: readonly StepDefinition[] = [
  phoneNormaliseStep,
  outboundDeliveryStep,
  conversationStateStep,
  routingConfigStep,
  conversationGuardStep,
  messageGuardStep,
  offerGuardStep,
  offerResponseStep,
  agentOnboardingStep,
  // The supervisor desk: its guard, its audit trail and the facts it reads.
  supervisorGuardStep,
  supervisorAuditStep,
  floorStampsStep,
  // Live updates: who hears what changed, and how a browser gets onto the push service.
  pushRelayStep,
  pushTicketStep,
  // Bots: an agent's "@bot" question.
  botConsultStep,
];

export function findStep(name: string, registry: readonly StepDefinition[] = stepRegistry): StepDefinition | undefined {
  return registry.find((s) => s.name === name);
}
