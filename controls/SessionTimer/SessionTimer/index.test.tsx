import * as path from 'node:path';
import { act, render, screen } from '@testing-library/react';
import { createMockContext, prop, type MockContext } from '../../shared/src/testing';
import { loadResx } from '../../shared/src/testing/load-resx';
import { ConversationState, SessionRole, SessionState } from '../../shared/src';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { SessionTimer } from './index';

const CONV = 'aaaaaaaa-0000-4000-8000-000000000001';
const ME = '11111111-1111-4111-8111-111111111111';
const NOW = Date.parse('2026-11-24T10:30:00Z');

function mockFor(state: number, extra: Record<string, unknown>, lang = 1033): MockContext<IInputs> {
  const strings = loadResx(path.join(__dirname, `strings/SessionTimer.${lang}.resx`));
  const mock = createMockContext<IInputs>({
    parameters: { anchor: prop('Chat with Ana'), conversationId: prop(null), refreshSeconds: prop(15, 'Whole.None') } as unknown as IInputs,
    strings,
    userId: ME,
    languageId: lang,
    formRecordId: `{${CONV.toUpperCase()}}`,
  });
  mock.webAPI.put('swb_conversation', { activityid: CONV, swb_state: state, swb_openedon: '2026-11-24T10:00:00Z', ...extra });
  return mock;
}

beforeEach(() => {
  jest.useFakeTimers();
  jest.setSystemTime(NOW);
});
afterEach(() => jest.useRealTimers());

describe('SessionTimer control lifecycle', () => {
  test('init → updateView → getOutputs → destroy shows the time since the agent joined, from the form record', async () => {
    const mock = mockFor(ConversationState.Active, {});
    mock.webAPI.put('swb_session', { _swb_conversationid_value: CONV, _swb_agentid_value: ME, swb_role: 612400000, swb_state: 612400000, swb_joinedon: '2026-11-24T10:25:53Z' });
    const control: ComponentFramework.ReactControl<IInputs, IOutputs> = new SessionTimer();
    control.init(mock.context, mock.notifyOutputChanged, {}, document.createElement('div'));
    const view = render(control.updateView(mock.context));
    const timer = await screen.findByRole('timer');
    expect(timer).toHaveProperty('textContent', 'In session4:07');
    expect(timer.getAttribute('aria-label')).toBe('In session: 4:07');
    expect(control.getOutputs?.()).toEqual({});
    expect(mock.webAPI.calls.some((c) => c.op === 'retrieve' && c.id === CONV)).toBe(true);
    view.unmount();
    control.destroy();
  });

  test('wrap-up restarts the count and the label comes from the French resources', async () => {
    const mock = mockFor(ConversationState.WrapUp, { swb_wrapupon: '2026-11-24T10:29:00Z' }, 1036);
    const control: ComponentFramework.ReactControl<IInputs, IOutputs> = new SessionTimer();
    control.init(mock.context);
    render(control.updateView(mock.context));
    const timer = await screen.findByRole('timer');
    expect(timer.getAttribute('aria-label')).toBe('Conclusion : 1:00');
    control.destroy();
  });

  test('a refresh (a new control instance) shows the same elapsed time, not zero', async () => {
    const mock = mockFor(ConversationState.Active, { swb_activeon: '2026-11-24T10:20:00Z' });
    const first = new SessionTimer();
    first.init(mock.context);
    const v1 = render(first.updateView(mock.context));
    expect((await screen.findByTestId('timer-value')).textContent).toBe('10:00');
    v1.unmount();
    first.destroy();
    jest.setSystemTime(NOW + 5_000);
    const second = new SessionTimer();
    second.init(mock.context);
    render(second.updateView(mock.context));
    expect((await screen.findByTestId('timer-value')).textContent).toBe('10:05');
  });

  test('a failing read says so instead of showing a wrong time', async () => {
    const mock = mockFor(ConversationState.Active, {});
    mock.webAPI.failNext('retrieve');
    const control: ComponentFramework.ReactControl<IInputs, IOutputs> = new SessionTimer();
    control.init(mock.context);
    render(control.updateView(mock.context));
    expect(await screen.findByText('The timer could not be read.')).toBeTruthy();
  });

  test('an agent transferred away sees their clock stopped at the time they spent, not a running one', async () => {
    const mock = mockFor(ConversationState.Active, { swb_activeon: '2026-11-24T10:00:00Z', _swb_primaryagentid_value: '22222222-2222-4222-8222-222222222222' });
    const mine = mock.webAPI.put('swb_session', { _swb_conversationid_value: CONV, _swb_agentid_value: ME, swb_role: SessionRole.Primary, swb_state: SessionState.Active, swb_joinedon: '2026-11-24T10:10:00Z' });
    const control = new SessionTimer();
    control.init(mock.context);
    render(control.updateView(mock.context));
    expect((await screen.findByRole('timer')).getAttribute('aria-label')).toBe('In session: 20:00');
    mock.webAPI.put('swb_session', { ...mine, swb_state: SessionState.Closed, swb_lefton: '2026-11-24T10:24:30Z' });
    await act(async () => {
      jest.advanceTimersByTime(15_000);
    });
    expect(screen.getByRole('timer').getAttribute('aria-label')).toBe('Your session ended: 14:30');
    await act(async () => {
      jest.advanceTimersByTime(30_000);
    });
    expect(screen.getByTestId('timer-value').textContent).toBe('14:30');
  });
});
