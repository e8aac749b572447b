// The controls keep their own small choice objects and row shapes (so bundles stay
// small); this checks them against the generated solution types, value by value and,
// through tsc, column by column.
import * as generated from '@switchboard/solution';
import * as ours from './choices';
import type * as rows from './rows';

const pairs: [string, Record<string, number>, Record<string, string | number>][] = [
  ['ConversationState', ours.ConversationState, generated.ConversationState],
  ['ChannelType', ours.ChannelType, generated.ChannelType],
  ['MessageDirection', ours.MessageDirection, generated.MessageDirection],
  ['AuthorKind', ours.AuthorKind, generated.AuthorKind],
  ['Visibility', ours.Visibility, generated.Visibility],
  ['DeliveryStatus', ours.DeliveryStatus, generated.DeliveryStatus],
  ['OfferResponse', ours.OfferResponse, generated.OfferResponse],
  ['Presence', ours.Presence, generated.BasePresence],
  ['SessionRole', ours.SessionRole, generated.SessionRole],
  ['SessionState', ours.SessionState, generated.SessionState],
  ['IdentificationResult', ours.IdentificationResult, generated.IdentificationResult],
  ['Sentiment', ours.Sentiment, generated.Sentiment],
  ['TemplateKind', ours.TemplateKind, generated.TemplateKind],
];

test.each(pairs)('%s has the same names and values as the generated enum', (_name, mine, theirs) => {
  const numeric = Object.fromEntries(Object.entries(theirs).filter(([, v]) => typeof v === 'number'));
  expect(mine).toEqual(numeric);
});

// Every column the controls read exists on the generated row type: tsc rejects `true`
// below and names the missing column otherwise. Annotation index signatures are ignored.
type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
type Extra<Ours, Theirs> = Exclude<KnownKeys<Ours>, keyof Theirs>;
type NoExtra<Ours, Theirs> = [Extra<Ours, Theirs>] extends [never] ? true : Extra<Ours, Theirs>;
const columnsExist: {
  conversation: NoExtra<rows.ConversationRow, generated.ConversationRow>;
  message: NoExtra<rows.MessageRow, generated.MessageRow>;
  session: NoExtra<rows.SessionRow, generated.SessionRow>;
  offer: NoExtra<rows.OfferRow, generated.OfferRow>;
  agentStatus: NoExtra<rows.AgentStatusRow, generated.AgentStatusRow>;
  template: NoExtra<rows.TemplateRow, generated.MessageTemplateRow>;
} = { conversation: true, message: true, session: true, offer: true, agentStatus: true, template: true };

test('row shapes only name columns of the generated rows', () => {
  expect(Object.values(columnsExist).every((v) => v === true)).toBe(true);
});
