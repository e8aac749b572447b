import { ConversationState } from '../model/choices';
import { elapsedMs, formatDuration, readTimer } from './session-timer';

const t = (s: string) => `2026-11-24T10:${s}Z`;
const at = (s: string) => Date.parse(t(s));

describe('session timer', () => {
  test('an active session counts from when the agent joined, so a refresh shows the same time', () => {
    const r = readTimer({ state: ConversationState.Active, openedOn: t('00:00'), activeOn: t('01:00'), joinedOn: t('02:00') });
    expect(r.phase).toBe('active');
    expect(elapsedMs(r, at('05:30'))).toBe(210_000);
    expect(elapsedMs(readTimer({ state: ConversationState.Active, joinedOn: t('02:00') }), at('05:30'))).toBe(210_000);
  });

  test('wrap-up restarts the clock at the wrap-up time', () => {
    const r = readTimer({ state: ConversationState.WrapUp, joinedOn: t('02:00'), wrapUpOn: t('10:00') });
    expect(r.phase).toBe('wrapup');
    expect(elapsedMs(r, at('11:15'))).toBe(75_000);
  });

  test('a closed and reopened conversation restarts from the reopen', () => {
    const r = readTimer({ state: ConversationState.Active, joinedOn: t('02:00'), wrapUpOn: t('10:00'), closedOn: t('12:00'), reopenedOn: t('20:00') });
    expect(elapsedMs(r, at('21:00'))).toBe(60_000);
  });

  test('a wrap-up stamp from before a reopen is not reused', () => {
    const r = readTimer({ state: ConversationState.WrapUp, wrapUpOn: t('10:00'), reopenedOn: t('20:00') });
    expect(r.startedAt).toBe(at('20:00'));
  });

  test('a closed conversation shows its wrap-up length, stopped', () => {
    const r = readTimer({ state: ConversationState.Closed, wrapUpOn: t('10:00'), closedOn: t('12:30') });
    expect(r.phase).toBe('closed');
    expect(elapsedMs(r, at('50:00'))).toBe(150_000);
  });

  test('a client clock behind the server never shows negative time', () => {
    const r = readTimer({ state: ConversationState.Active, joinedOn: t('10:00') });
    expect(elapsedMs(r, at('09:00'))).toBe(0);
  });

  test('durations show hours only when there are some', () => {
    expect(formatDuration(247_000)).toBe('4:07');
    expect(formatDuration(3_729_000)).toBe('1:02:09');
    expect(formatDuration(-5)).toBe('0:00');
  });
});
