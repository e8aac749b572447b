import { ConversationState, SessionRole, SessionState } from '../model/choices';
import { composeModeOf, participationOf, sessionMayHaveChanged } from './participation';

const ME = 'aaaaaaaa-0000-4000-8000-000000000001';
const BRUNO = 'bbbbbbbb-0000-4000-8000-000000000002';
const F = '@OData.Community.Display.V1.FormattedValue';
const row = (primary: string | null, state: number = ConversationState.Active) => ({
  swb_state: state as ConversationState,
  _swb_primaryagentid_value: primary,
  [`_swb_primaryagentid_value${F}`]: primary === BRUNO ? 'Bruno Petit' : primary === ME ? 'Alice Martin' : undefined,
  [`_swb_queueid_value${F}`]: 'Billing',
});
const session = (role: number, state: number = SessionState.Active) => ({ swb_role: role as SessionRole, swb_state: state as SessionState });

describe('where the agent stands in a conversation', () => {
  test('the row\'s primary agent is primary, whatever their session says', () => {
    expect(participationOf(row(ME), undefined, ME)).toEqual({ kind: 'primary' });
    expect(participationOf(row(ME.toUpperCase()), session(SessionRole.Consult), ME)).toEqual({ kind: 'primary' });
  });

  test('an open consult session makes a consultant, who knows who the primary agent is', () => {
    expect(participationOf(row(BRUNO), session(SessionRole.Consult), ME)).toEqual({ kind: 'consult', primaryName: 'Bruno Petit' });
  });

  test('an open primary session speaks only while the row names nobody yet', () => {
    expect(participationOf(row(null), session(SessionRole.Primary), ME)).toEqual({ kind: 'primary' });
    expect(participationOf(row(BRUNO), session(SessionRole.Primary), ME)).toEqual({ kind: 'transferred', toName: 'Bruno Petit' });
  });

  test('an agent whose session closed while another agent became primary was transferred away', () => {
    expect(participationOf(row(BRUNO), session(SessionRole.Primary, SessionState.Closed), ME)).toEqual({ kind: 'transferred', toName: 'Bruno Petit' });
  });

  test('an agent whose session closed while the conversation waits for routing sent it back to a queue', () => {
    expect(participationOf(row(null, ConversationState.Waiting), session(SessionRole.Primary, SessionState.Closed), ME)).toEqual({ kind: 'requeued', queueName: 'Billing' });
  });

  test('a consultant whose session ended with the wrap-up has left', () => {
    expect(participationOf(row(BRUNO, ConversationState.WrapUp), session(SessionRole.Consult, SessionState.Closed), ME)).toEqual({ kind: 'left' });
  });

  test('someone who never took part only reads; a conversation not assigned yet is one being joined', () => {
    expect(participationOf(row(BRUNO), undefined, ME)).toEqual({ kind: 'observer' });
    expect(participationOf(row(null, ConversationState.Open), undefined, ME)).toEqual({ kind: 'joining' });
  });
});

describe('what the composer writes', () => {
  test('the primary agent replies while active and writes notes during wrap-up, nothing once closed', () => {
    expect(composeModeOf({ kind: 'primary' }, ConversationState.Active)).toBe('reply');
    expect(composeModeOf({ kind: 'primary' }, ConversationState.WrapUp)).toBe('note');
    expect(composeModeOf({ kind: 'primary' }, ConversationState.Closed)).toBe('none');
  });

  test('a consultant writes notes only; anyone else writes nothing', () => {
    expect(composeModeOf({ kind: 'consult', primaryName: '' }, ConversationState.Active)).toBe('note');
    for (const kind of ['observer', 'left', 'joining'] as const) expect(composeModeOf({ kind }, ConversationState.Active)).toBe('none');
    expect(composeModeOf({ kind: 'transferred', toName: 'Bruno' }, ConversationState.Active)).toBe('none');
  });
});

test('the session is read again when the primary agent or the state moves, not on every poll', () => {
  expect(sessionMayHaveChanged(undefined, row(ME))).toBe(true);
  expect(sessionMayHaveChanged(row(ME), row(ME.toUpperCase()))).toBe(false);
  expect(sessionMayHaveChanged(row(ME), row(BRUNO))).toBe(true);
  expect(sessionMayHaveChanged(row(ME), row(ME, ConversationState.WrapUp))).toBe(true);
});
