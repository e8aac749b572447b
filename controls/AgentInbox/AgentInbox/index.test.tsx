import * as path from 'node:path';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { createMockContext, fakePushPerTest, prop, type MockContext } from '../../shared/src/testing';
import { loadResx } from '../../shared/src/testing/load-resx';
import { ChannelType, ConversationState, OfferResponse, Presence, SessionRole, SessionState } from '../../shared/src';
import { dataverseError } from '../../shared/src/testing';
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
  // The offered conversation: an identified contact on live chat, queued 50 s ago.
  api.put('swb_conversation', {
    activityid: CONV,
    subject: 'Chat',
    swb_state: ConversationState.Waiting,
    swb_channeltype: ChannelType.LiveChat,
    _swb_customerid_value: 'dddddddd-0000-4000-8000-000000000001',
    [`_swb_customerid_value${F}`]: 'Ana Ruiz',
    swb_queuedon: '2026-11-24T10:29:10Z',
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
  await screen.findByText('Ana Ruiz');
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
    fireEvent.click(screen.getByRole('button', { name: 'Accept the conversation with Ana Ruiz' }));
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
    expect(screen.getByRole('button', { name: 'Accept the conversation with Ana Ruiz' })).toHaveProperty('disabled', true);
  });

  test('declining records the answer and removes the offer', async () => {
    const mock = setup();
    await mount(mock);
    fireEvent.click(screen.getByRole('button', { name: 'Decline the conversation with Ana Ruiz' }));
    expect(await screen.findByText('No conversation is waiting for you.')).toBeTruthy();
    expect(mock.webAPI.rows('swb_offer').find((o) => o._swb_agentid_value === ME)!.swb_response).toBe(OfferResponse.Declined);
    expect(mock.opened).toEqual([]);
  });

  test('a new offer is announced to screen readers', async () => {
    await mount(setup());
    expect(screen.getByTestId('live-region').textContent).toBe('New conversation offered: Ana Ruiz (Live chat, Billing)');
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

  test('an offer card says who is asking, on which channel and queue, how long they have waited and how long is left', async () => {
    await mount(setup());
    const card = screen.getByRole('group', { name: 'Ana Ruiz' });
    expect(within(card).getByTestId('offer-where').textContent).toBe('Live chat · Billing');
    expect(within(card).getByTestId('offer-waited').textContent).toBe('Waiting for 0:50');
    expect(within(card).getByRole('timer').getAttribute('aria-label')).toBe('0:30 left to answer');
    // The card's description is what a screen reader reads after the name.
    const described = document.getElementById(card.getAttribute('aria-describedby')!)!;
    expect(described.textContent).toContain('Live chat · Billing');
    act(() => {
      jest.advanceTimersByTime(10_000);
    });
    expect(within(card).getByTestId('offer-waited').textContent).toBe('Waiting for 1:00');
  });

  test('an unidentified chat is named from the pre-chat answers the widget defines as the name, and said to be unidentified', async () => {
    const mock = setup();
    const WIDGET = 'eeeeeeee-0000-4000-8000-000000000001';
    mock.webAPI.put('swb_chatwidget', {
      swb_chatwidgetid: WIDGET,
      swb_prechatquestions: JSON.stringify([{ id: 'q1', contactField: 'firstname', label: { 1033: 'First name' } }, { id: 'q2', contactField: 'emailaddress1' }]),
    });
    mock.webAPI.put('swb_conversation', {
      ...mock.webAPI.row('swb_conversation', CONV),
      _swb_customerid_value: null,
      [`_swb_customerid_value${F}`]: null,
      _swb_chatwidgetid_value: WIDGET,
      swb_prechatanswers: JSON.stringify({ q1: 'Camille', q2: 'someone@example.com' }),
    });
    const control = new AgentInbox();
    control.init(mock.context, mock.notifyOutputChanged);
    render(control.updateView(mock.context));
    const card = await screen.findByRole('group', { name: 'Camille' });
    expect(within(card).getByTestId('offer-waited').textContent).toBe('Waiting for 0:50 · not identified');
    expect(within(card).getByRole('button', { name: 'Accept the conversation with Camille' })).toBeTruthy();
  });

  test('an SMS from a number nobody matches shows the number', async () => {
    const mock = setup();
    mock.webAPI.put('swb_conversation', { activityid: CONV, swb_channeltype: ChannelType.Sms, swb_customerphone: '+33611223344', swb_openedon: '2026-11-24T10:28:00Z', swb_state: ConversationState.Waiting });
    const control = new AgentInbox();
    control.init(mock.context, mock.notifyOutputChanged);
    render(control.updateView(mock.context));
    const card = await screen.findByRole('group', { name: '+33611223344' });
    expect(within(card).getByTestId('offer-where').textContent).toBe('SMS · Billing');
    expect(within(card).getByTestId('offer-waited').textContent).toBe('Waiting for 2:00 · not identified');
  });

  test('an offer Dataverse refuses to let me accept says why, with Dataverse\'s message, and stays until dismissed', async () => {
    const mock = setup();
    await mount(mock);
    mock.webAPI.failNext('update', dataverseError('This offer has expired; the conversation goes to someone else.'));
    fireEvent.click(screen.getByRole('button', { name: 'Accept the conversation with Ana Ruiz' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This offer has expired; the conversation goes to someone else.');
    expect(mock.opened).toEqual([]);
    await act(async () => {
      jest.advanceTimersByTime(5_000);
    });
    expect(screen.getByRole('alert').textContent).toContain('This offer has expired');
    fireEvent.click(within(screen.getByRole('alert')).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('a failure with no Dataverse message (the network) gets the inbox\'s own sentence', async () => {
    const mock = setup();
    await mount(mock);
    mock.webAPI.failNext('update', new TypeError('Failed to fetch'));
    fireEvent.click(screen.getByRole('button', { name: 'Decline the conversation with Ana Ruiz' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Your answer was not recorded; the offer may have expired.');
  });

  test('an automatic presence says it follows capacity, with what is in use', async () => {
    const mock = setup();
    mock.webAPI.put('swb_agentstatus', { ...mock.webAPI.rows('swb_agentstatus')[0], swb_basepresence: Presence.Busy, swb_capacityused: 2, swb_capacitymax: 3 });
    await mount(mock);
    expect(screen.getByTestId('presence-reason').textContent).toBe('Busy, set automatically: 2 of your 3 capacity units in use.');
    expect(screen.getByRole('combobox', { name: 'My presence' }).getAttribute('aria-describedby')).toBe(screen.getByTestId('presence-reason').id);
    expect(screen.queryByRole('button', { name: 'Return to automatic' })).toBeNull();
    mock.webAPI.put('swb_agentstatus', { ...mock.webAPI.rows('swb_agentstatus')[0], swb_basepresence: Presence.DoNotDisturb, swb_capacityused: 3 });
    await act(async () => {
      jest.advanceTimersByTime(5_000);
    });
    expect(screen.getByTestId('presence-reason').textContent).toBe('Do not disturb, set automatically: you are at capacity (3 of 3 units).');
  });

  test('a presence picked by hand says so, and returning to automatic gives the presence capacity gives and clears the override', async () => {
    const mock = setup();
    mock.webAPI.put('swb_agentstatus', { ...mock.webAPI.rows('swb_agentstatus')[0], swb_capacityused: 2, swb_capacitymax: 3 });
    await mount(mock);
    fireEvent.change(screen.getByRole('combobox', { name: 'My presence' }), { target: { value: String(Presence.Away) } });
    await screen.findByText('Presence set to Away');
    expect(screen.getByTestId('presence-reason').textContent).toBe('You chose Away: it stays until you change it; capacity no longer changes it.');
    fireEvent.click(screen.getByRole('button', { name: 'Return to automatic' }));
    await screen.findByText('Presence is automatic again: Busy');
    expect(mock.webAPI.rows('swb_agentstatus')[0]).toMatchObject({ swb_basepresence: Presence.Busy, swb_manualoverride: false });
    expect(screen.getByTestId('presence-reason').textContent).toBe('Busy, set automatically: 2 of your 3 capacity units in use.');
  });

  test('a presence picked by hand and "Return to automatic" clicked at once reach Dataverse in that order, even when the first write is slow', async () => {
    const mock = setup();
    mock.webAPI.put('swb_agentstatus', { ...mock.webAPI.rows('swb_agentstatus')[0], swb_capacityused: 2, swb_capacitymax: 3 });
    await mount(mock);
    // The first update takes 3 s on the wire, the second none: unserialised, the older choice lands last.
    const update = mock.webAPI.updateRecord.bind(mock.webAPI);
    let slow = true;
    mock.webAPI.updateRecord = async (table, id, data) => {
      if (slow) {
        slow = false;
        await new Promise((r) => setTimeout(r, 3_000));
      }
      return update(table, id, data);
    };
    fireEvent.change(screen.getByRole('combobox', { name: 'My presence' }), { target: { value: String(Presence.Away) } });
    fireEvent.click(screen.getByRole('button', { name: 'Return to automatic' }));
    await act(async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
      jest.advanceTimersByTime(3_000);
    });
    await screen.findByText('Presence is automatic again: Busy');
    expect(mock.webAPI.rows('swb_agentstatus')[0]).toMatchObject({ swb_basepresence: Presence.Busy, swb_manualoverride: false });
  });

  describe('with live updates', () => {
    const current = fakePushPerTest(ME);
    const offerReads = (mock: MockContext<IInputs>) => mock.webAPI.calls.filter((c) => c.op === 'retrieveMultiple' && c.table === 'swb_offer').length;

    test('a new offer is shown when told, and an idle inbox does not poll every few seconds', async () => {
      const mock = setup();
      await mount(mock);
      const opened = offerReads(mock);
      await act(async () => {
        jest.advanceTimersByTime(5 * 60_000);
      });
      expect(offerReads(mock)).toBe(opened);
      const NEXT = 'aaaaaaaa-0000-4000-8000-000000000002';
      mock.webAPI.put('swb_conversation', { activityid: NEXT, subject: 'SMS', swb_state: ConversationState.Waiting, swb_channeltype: ChannelType.Sms, swb_customerphone: '+33611223344', swb_queuedon: '2026-11-24T10:29:50Z' });
      mock.webAPI.put('swb_offer', { _swb_conversationid_value: NEXT, _swb_agentid_value: ME, swb_response: OfferResponse.Pending, swb_offeredon: '2026-11-24T10:30:00Z', swb_expireson: '2026-11-24T10:31:00Z' });
      await act(async () => current().emit({ kind: 'offer', conversationId: NEXT, change: 'made' }));
      expect(await screen.findByRole('group', { name: '+33611223344' })).toBeTruthy();
      expect(offerReads(mock)).toBe(opened + 1);
    });

    test('a burst of events costs two reads at most', async () => {
      const mock = setup();
      await mount(mock);
      const opened = offerReads(mock);
      await act(async () => {
        for (let i = 0; i < 10; i++) current().emit({ kind: 'agent', agentId: ME });
        for (let i = 0; i < 20; i++) await Promise.resolve();
      });
      await act(async () => {
        for (let i = 0; i < 20; i++) await Promise.resolve();
      });
      expect(offerReads(mock) - opened).toBeGreaterThanOrEqual(1);
      expect(offerReads(mock) - opened).toBeLessThanOrEqual(2);
    });

    test('messages of a conversation are the pane\'s business, not the inbox\'s: no read', async () => {
      const mock = setup();
      await mount(mock);
      const opened = mock.webAPI.calls.length;
      await act(async () => current().emit({ kind: 'message', conversationId: CONV, sequence: 4 }));
      expect(mock.webAPI.calls.length).toBe(opened);
    });
  });
});
