// Which bot, if any, answers a new conversation first: the last matching classification rule
// that names a bot, else the workstream's bot. A bot that is disabled or unknown is skipped and
// the conversation goes to a person, as if no bot were configured: a customer is never left
// with nobody because a bot row was switched off.
import { classifyConversation } from '../rules/routing-rules';
import type { BotConfig, RoutingConfig } from '../routing/routing-config';
import type { Arrival } from '../routing/routing-engine';

export function botForArrival(arrival: Arrival, config: RoutingConfig): BotConfig | null {
  const ws = config.workstreams.find((w) => w.id === arrival.workstreamId);
  if (!ws) return null;
  const bots = config.bots ?? [];
  const ruled = bots.length === 0 ? undefined : classifyConversation(ws.ruleset.classification, {
    conversation: { ...(arrival.conversation ?? {}), channel: ws.channel, workstream: ws.id },
    customer: arrival.customer ?? {},
    context: arrival.context ?? {},
  }).botId;
  const botId = ruled ?? ws.botId;
  if (!botId) return null;
  const bot = bots.find((b) => b.id.toLowerCase() === botId.toLowerCase());
  return bot && bot.enabled ? bot : null;
}
