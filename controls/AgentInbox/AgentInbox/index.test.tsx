import * as path from 'node:path';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { createMockContext, prop, type MockContext } from '../../shared/src/testing';
import { loadResx } from '../../shared/src/testing/load-resx';
import { ConversationState, OfferResponse, Presence, SessionRole, SessionState } from '../../shared/src';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { AgentInbox } from './index';

const ME = '11111111-1111-4111-8111-111111111111';
const CONV = 'aaaaaaaa-0000-4000-8000-000000000001';
const OPEN = 'aaaaaaaa-0000-4000-8000-000000000009';
const F = '@OData.Community.Display.V1.FormattedValue';
const NOW = Date.parse('2026-11-24T10:30:00Z');

function setup(withStatus = true): MockContext<IInputs> {
  const mock = createMockContext<IInputs>({
    parameters: { anchor: prop(''), pollSeconds: prop(5, 'Whole.None') } as unknown as IInputs,
    strings: loadResx(path.join(__dirname, 'strings/AgentInbox.1033.resx')),
    userId: ME,
  });
  const api = mock.webAPI;
  if (withStatus) api.put('swb_agentstatus', { _swb_agentid_value: ME, swb_basepresence: Presence.Available, swb_capacityused: 1, swb_capacitymax: 3 });
  api.put('swb_offer', {
    _swb_conversationid_value: CONV,
    [`_swb_conversationid_value${F}`]: 'Chat with Ana Ruiz',
    [`_swb_queueid_value${F}`]: 'Billing',
    _swb_agentid_value: ME,
    swb_response: OfferResponse.Pending,
    swb_offeredon: '2026-11-24T10:29:40Z',
    swb_expireson: '2026-11-24T10:30:30Z',
  });
  api.put('swb_offer', { _swb_conversationid_value: CONV, _swb_agentid_value: '22222222-2222-4222-8222-222222222222', swb_response: OfferResponse.Pending });
  api.put('swb_conversation', { activityid: OPEN, _swb_primaryagentid_value: ME, swb_state: ConversationState.WrapUp, swb_customername: 'Bo Chen', swb_activeon: '2026-11-24T09:00:00Z' });
  api.put('swb_conversation', { activityid: 'aaaaaaaa-0000-4000-8000-00000000000a', _swb_primaryagentid_value: ME, swb_state: ConversationState.Closed, swb_customername: 'Old Closed' });
  return mock;
}

async function mount(mock: MockContext<IInputs>) {
  const control: ComponentFramework.ReactControl<IInputs, IOutputs> = new AgentInbox();
  control.init(mock.context, mock.notifyOutputChanged, {}, document.createElement('div'));
  const view = render(control.updateView(mock.context));
  await screen.findByText('Chat with Ana Ruiz');
  return { control, view };
}

beforeEach(() => {
  jest.useFakeTimers();
  jest.setSystemTime(NOW);
});
afterEach(async () => {
  // Let the refresh that follows an answer settle inside act before the next test.
  await act(async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  });
  jest.useRealTimers();
});

describe('AgentInbox', () => {
  test('init → updateView → getOutputs → destroy: accepting an offer records it, opens the conversation and outputs its id', async () => {
    const mock = setup();
    const { control, view } = await mount(mock);
    expect(control.getOutputs?.()).toEqual({ openedConversationId: undefined });
    fireEvent.click(screen.getByRole('button', { name: 'Accept Chat with Ana Ruiz' }));
    await screen.findByText('Conversation accepted');
    const offer = mock.webAPI.rows('swb_offer').find((o) => o._swb_agentid_value === ME)!;
    expect(offer.swb_response).toBe(OfferResponse.Accepted);
    expect(mock.opened).toEqual([{ entityName: 'swb_conversation', entityId: CONV }]);
    expect(mock.outputsNotified).toBe(1);
    expect(control.getOutputs?.()).toEqual({ openedConversationId: CONV });
    view.unmount();
    control.destroy();
  });

  test('only my pending offers are shown, with a countdown that runs out', async () => {
    await mount(setup());
    const offers = screen.getByRole('heading', { name: /Incoming/ }).parentElement!;
    expect(within(offers).getAllByRole('listitem')).toHaveLength(1);
    expect(screen.getByRole('timer').getAttribute('aria-label')).toBe('0:30 left to answer');
    act(() => {
      jest.advanceTimersByTime(31_000);
    });
    expect(screen.getByRole('timer').textContent).toBe('Expired');
    expect(screen.getByRole('button', { name: 'Accept Chat with Ana Ruiz' })).toHaveProperty('disabled', true);
  });

  test('declining records the answer and removes the offer', async () => {
    const mock = setup();
    await mount(mock);
    fireEvent.click(screen.getByRole('button', { name: 'Decline Chat with Ana Ruiz' }));
    expect(await screen.findByText('No conversation is waiting for you.')).toBeTruthy();
    expect(mock.webAPI.rows('swb_offer').find((o) => o._swb_agentid_value === ME)!.swb_response).toBe(OfferResponse.Declined);
    expect(mock.opened).toEqual([]);
  });

  test('a new offer is announced to screen readers', async () => {
    await mount(setup());
    expect(screen.getByTestId('live-region').textContent).toBe('New conversation offered: Chat with Ana Ruiz');
  });

  test('the presence picker writes a manual presence', async () => {
    const mock = setup();
    await mount(mock);
    fireEvent.change(screen.getByRole('combobox', { name: 'My presence' }), { target: { value: String(Presence.DoNotDisturb) } });
    await screen.findByText('Presence set to Do not disturb');
    expect(mock.webAPI.rows('swb_agentstatus')[0]).toMatchObject({ swb_basepresence: Presence.DoNotDisturb, swb_manualoverride: true });
  });

  test('my open conversations (active or wrap-up, not closed) can be resumed', async () => {
    const mock = setup();
    await mount(mock);
    fireEvent.click(await screen.findByRole('button', { name: 'Resume the conversation with Bo Chen' }));
    expect(screen.queryByText('Old Closed')).toBeNull();
    expect(mock.opened).toEqual([{ entityName: 'swb_conversation', entityId: OPEN }]);
  });

  test('a conversation another agent invites me to consult on appears as a consult, is announced and can be opened; a closed consult does not', async () => {
    const mock = setup();
    await mount(mock);
    const CONSULTED = 'aaaaaaaa-0000-4000-8000-00000000000c';
    const OWNER = '22222222-2222-4222-8222-222222222222';
    mock.webAPI.put('swb_conversation', { activityid: CONSULTED, _swb_primaryagentid_value: OWNER, swb_state: ConversationState.Active, swb_customername: 'Dana Whitfield', swb_activeon: '2026-11-24T10:10:00Z' });
    mock.webAPI.put('swb_session', { _swb_conversationid_value: CONSULTED, _swb_agentid_value: ME, swb_role: SessionRole.Consult, swb_state: SessionState.Active });
    // A consult I already left, on another conversation: not listed.
    mock.webAPI.put('swb_conversation', { activityid: 'aaaaaaaa-0000-4000-8000-00000000000d', _swb_primaryagentid_value: OWNER, swb_state: ConversationState.Active, swb_customername: 'Left Earlier' });
    mock.webAPI.put('swb_session', { _swb_conversationid_value: 'aaaaaaaa-0000-4000-8000-00000000000d', _swb_agentid_value: ME, swb_role: SessionRole.Consult, swb_state: SessionState.Closed });
    await act(async () => {
      jest.advanceTimersByTime(5_000);
    });
    const item = (await screen.findByRole('button', { name: 'Resume the conversation with Dana Whitfield' })).closest('li')!;
    expect(within(item).getByText('Consulting')).toBeTruthy();
    expect(screen.queryByText('Left Earlier')).toBeNull();
    expect(screen.getByTestId('live-region').textContent).toBe('You were invited to consult on the conversation with Dana Whitfield');
    fireEvent.click(within(item).getByRole('button'));
    expect(mock.opened).toEqual([{ entityName: 'swb_conversation', entityId: CONSULTED }]);
  });

  test('an agent without a status row is told so and cannot pick a presence', async () => {
    await mount(setup(false));
    expect(screen.getByText('Your agent status is not set up yet; ask an administrator.')).toBeTruthy();
    expect(screen.getByRole('combobox', { name: /My presence/ })).toHaveProperty('disabled', true);
  });
});
