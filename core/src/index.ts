// Public surface of @switchboard/core. Everything here is host-free: no SDK, no Dataverse,
// no Azure, no PCF. Time and randomness are always passed in.

export * from './time';
export * from './result';
export * from './id-number-map';

// Rules: the condition language and routing rules
export {
  type ConditionNode,
  type ConditionRoot,
  type CompareOp,
  type ParseOptions,
  CONDITION_FUNCTIONS,
  ConditionSyntaxError,
  parseCondition,
} from './rules/condition-language';
export {
  type ConditionLocale,
  type ConditionMessageArgs,
  type ConditionMessageId,
  conditionLocale,
  conditionMessage,
  conditionReason,
} from './rules/condition-messages';
export {
  type CompiledCondition,
  type ConditionError,
  type ConditionScope,
  compileCondition,
  conditionMatches,
  evaluateCondition,
} from './rules/condition-evaluator';
export {
  type Classification,
  type QueueRoute,
  type RuleProblem,
  classifyConversation,
  distributionProblem,
  pickByPercentage,
  routeToQueue,
  validateRuleset,
} from './rules/routing-rules';

// Presence and capacity
export * from './presence/presence';
export * from './presence/presence-choice';
export * from './capacity/capacity';

// Lifecycle, session timer, message visibility
export * from './lifecycle/conversation-lifecycle';
export * from './lifecycle/session-timer';
export * from './lifecycle/message-visibility';

// Identification and phone numbers
export * from './identification/phone-number';
export * from './identification/customer-identification';

// Templates
export * from './templates/template';

// Insights: sentiment scale and historical metrics
export * from './insights/sentiment';
export * from './insights/sentiment-trend';
export * from './insights/metrics';
export * from './insights/sentiment-provider';
export * from './insights/offline-lexicon';
export * from './insights/survey';
export * from './insights/insight-buckets';
export * from './insights/insights-query';

// Routing: configuration, engine, assignment methods, eligibility
export * from './routing/routing-config';
export * from './routing/operating-hours';
export * from './routing/overflow';
export * from './routing/work-item';
export * from './routing/routing-work';
export { type AgentOrdering, type AgentState, AgentPool, remainingUnits } from './routing/agent-pool';
export { OrderedIndex, TimerHeap, type SortKey } from './routing/ordered-index';
export {
  type EligibilityContext,
  type EligibilityFilter,
  STANDARD_FILTERS,
  allOf,
  hasCapacityLeft,
  inQueue,
  isEligible,
  presenceAllowed,
  skillDistance,
  skillsExactMatch,
  underDeclineLimit,
  withinWorkingHours,
} from './routing/eligibility';
export { type AssignmentMethod, type AssignmentPass } from './routing/assignment-method';
export { type AssignmentRegistry, createAssignmentRegistry, defaultAssignmentRegistry } from './routing/assignment-registry';
export { highestCapacityMethod } from './routing/methods/highest-capacity.strategy';
export { roundRobinMethod } from './routing/methods/round-robin.strategy';
export { leastActiveMethod } from './routing/methods/least-active.strategy';
export { customRulesetMethod, agentFacts } from './routing/methods/custom-ruleset.strategy';
export * from './routing/routing-engine';
export * from './routing/routing-decision';
export * from './routing/routing-snapshot';
export { type AgentView, type ConversationView, snapshotOf } from './routing/routing-views';
export { type PreparedConfig, prepareConfig } from './routing/prepared-config';
export { type ConfigProblem, validateRoutingConfig } from './routing/config-validation';

// Push: the events, the server's port (push-client is the browsers')
export * from './push/push-events';
export * from './push/push-port';
export * from './push/push-client';

// Bots: what a bot said (any protocol), which bot answers first
export * from './bots/bot-turn';
export * from './bots/bot-choice';
export * from './bots/bot-activities';
