// Table and entity-set names the controls use, in one place. Values, so not taken from
// solution's generated metadata (controls import solution for types only); the row types in
// rows.ts are solution's.
export const T = {
  conversation: 'swb_conversation',
  message: 'swb_message',
  session: 'swb_session',
  offer: 'swb_offer',
  agentStatus: 'swb_agentstatus',
  template: 'swb_messagetemplate',
  chatWidget: 'swb_chatwidget',
  queue: 'queue',
  systemuser: 'systemuser',
  workstream: 'swb_workstream',
  contact: 'contact',
  account: 'account',
} as const;

/** Entity-set names for `@odata.bind` paths. */
export const SET: Record<string, string> = {
  swb_conversation: 'swb_conversations',
  swb_message: 'swb_messages',
  swb_session: 'swb_sessions',
  swb_offer: 'swb_offers',
  swb_agentstatus: 'swb_agentstatuses',
  queue: 'queues',
  systemuser: 'systemusers',
  contact: 'contacts',
  account: 'accounts',
};

export function bind(table: string, id: string): string {
  return `/${SET[table] ?? `${table}s`}(${id})`;
}
