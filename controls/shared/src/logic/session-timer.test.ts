import { ConversationState, SessionState } from '../model/choices';
import { timerFromRows } from './session-timer';

const t = (s: string) => `2026-11-24T10:${s}Z`;
const at = (s: string) => Date.parse(t(s));
const row = (state: number, extra: Record<string, string> = {}) => ({ swb_state: state as never, swb_openedon: t('00:00'), ...extra });

describe('session timer from Dataverse rows', () => {
  test('an active session counts from when the agent joined, so a refresh shows the same time', () => {
    const r = timerFromRows(row(ConversationState.Active, { swb_activeon: t('01:00') }), { swb_joinedon: t('02:00') }, at('05:30'));
    expect(r).toMatchObject({ phase: 'session', elapsedMs: 210_000, running: true });
    expect(timerFromRows(row(ConversationState.Active, { swb_activeon: t('01:00') }), { swb_joinedon: t('02:00') }, at('05:30')).elapsedMs).toBe(210_000);
  });

  test('without a session row the count starts when the conversation became active', () => {
    expect(timerFromRows(row(ConversationState.Active, { swb_activeon: t('01:00') }), undefined, at('02:00')).elapsedMs).toBe(60_000);
  });

  test('wrap-up restarts the clock at the wrap-up time', () => {
    const r = timerFromRows(row(ConversationState.WrapUp, { swb_activeon: t('01:00'), swb_wrapupon: t('10:00') }), undefined, at('11:15'));
    expect(r).toMatchObject({ phase: 'wrapUp', elapsedMs: 75_000 });
  });

  test('a closed and reopened conversation restarts from the reopen', () => {
    const r = timerFromRows(row(ConversationState.Active, { swb_activeon: t('02:00'), swb_wrapupon: t('10:00'), swb_closedon: t('12:00'), swb_reopenedon: t('20:00') }), undefined, at('21:00'));
    expect(r.elapsedMs).toBe(60_000);
  });

  test('a closed conversation shows its wrap-up length, stopped', () => {
    const r = timerFromRows(row(ConversationState.Closed, { swb_wrapupon: t('10:00'), swb_closedon: t('12:30') }), undefined, at('50:00'));
    expect(r).toMatchObject({ phase: 'closed', elapsedMs: 150_000, running: false });
  });

  test('an agent whose own session closed while the conversation goes on sees the time they spent, stopped', () => {
    const r = timerFromRows(row(ConversationState.Active, { swb_activeon: t('01:00') }), { swb_joinedon: t('02:00'), swb_lefton: t('06:30'), swb_state: SessionState.Closed }, at('40:00'));
    expect(r).toMatchObject({ phase: 'left', elapsedMs: 270_000, running: false });
  });

  test('once the conversation itself is closed, the wrap-up length shows as before', () => {
    const r = timerFromRows(row(ConversationState.Closed, { swb_wrapupon: t('10:00'), swb_closedon: t('12:30') }), { swb_joinedon: t('02:00'), swb_state: SessionState.Closed }, at('50:00'));
    expect(r).toMatchObject({ phase: 'closed', elapsedMs: 150_000 });
  });
});
