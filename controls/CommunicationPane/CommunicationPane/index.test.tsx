import * as path from 'node:path';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { createMockContext, prop, type MockContext } from '../../shared/src/testing';
import { loadResx } from '../../shared/src/testing/load-resx';
import { AuthorKind, ConversationState, DeliveryStatus, MessageDirection, Presence, SessionRole, TemplateKind, Visibility } from '../../shared/src';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { CommunicationPane } from './index';

const CONV = 'aaaaaaaa-0000-4000-8000-000000000001';
const ME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const QUEUE = 'cccccccc-0000-4000-8000-000000000001';
const strings = loadResx(path.join(__dirname, 'strings/CommunicationPane.1033.resx'));

function customer(seq: number, body: string) {
  return { _swb_conversationid_value: CONV, swb_sequence: seq, swb_body: body, swb_direction: MessageDirection.Inbound, swb_authorkind: AuthorKind.Customer, swb_visibility: Visibility.Public, swb_deliverystatus: DeliveryStatus.Received, swb_authorname: 'Ana Ruiz', createdon: '2026-11-24T10:00:00Z' };
}

function setup(opts: { primary?: boolean; messages?: number; state?: number } = {}): MockContext<IInputs> {
  const mock = createMockContext<IInputs>({
    parameters: { anchor: prop('Chat'), conversationId: prop(CONV), pollSeconds: prop(2, 'Whole.None'), heightPx: prop(600, 'Whole.None') } as unknown as IInputs,
    strings,
    userId: ME,
    userName: 'Avery Agent',
    height: -1,
  });
  const api = mock.webAPI;
  api.put('swb_conversation', {
    activityid: CONV,
    swb_state: opts.state ?? ConversationState.Active,
    _swb_queueid_value: QUEUE,
    _swb_primaryagentid_value: opts.primary === false ? OTHER : ME,
    swb_customername: 'Ana Ruiz',
  });
  for (let i = 1; i <= (opts.messages ?? 2); i++) api.put('swb_message', customer(i, `message number ${i}`));
  return mock;
}

async function mount(mock: MockContext<IInputs>) {
  const control: ComponentFramework.ReactControl<IInputs, IOutputs> = new CommunicationPane();
  control.init(mock.context, mock.notifyOutputChanged, {}, document.createElement('div'));
  const view = render(control.updateView(mock.context));
  await screen.findByRole('list', { name: 'Conversation transcript' });
  await act(async () => {
    await Promise.resolve();
  });
  return { control, view };
}

const composer = () => screen.getByRole('textbox', { name: /Reply to the customer|Internal note/ });

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('CommunicationPane', () => {
  test('init → updateView → getOutputs → destroy resumes with the full transcript', async () => {
    const mock = setup({ messages: 3 });
    const { control, view } = await mount(mock);
    expect(await screen.findByText('message number 3')).toBeTruthy();
    expect(screen.getByText('message number 1')).toBeTruthy();
    expect(control.getOutputs?.()).toEqual({});
    const firstRead = mock.webAPI.calls.find((c) => c.table === 'swb_message')!;
    expect(firstRead.options).toContain(`_swb_conversationid_value eq ${CONV} and swb_sequence ge 1`);
    view.unmount();
    control.destroy();
  });

  test('Enter sends the reply, Shift+Enter does not', async () => {
    const mock = setup();
    await mount(mock);
    fireEvent.change(composer(), { target: { value: 'Hello Ana' } });
    fireEvent.keyDown(composer(), { key: 'Enter', shiftKey: true });
    expect(mock.webAPI.calls.some((c) => c.op === 'create')).toBe(false);
    fireEvent.keyDown(composer(), { key: 'Enter' });
    expect(await screen.findByText('Hello Ana')).toBeTruthy();
    const created = mock.webAPI.calls.find((c) => c.op === 'create')!;
    expect(created.data).toMatchObject({ swb_body: 'Hello Ana', swb_visibility: Visibility.Public });
    expect((composer() as HTMLTextAreaElement).value).toBe('');
    expect(screen.getByTestId('live-region').textContent).toBe('Message sent');
  });

  test('a reply Dataverse refuses is reported and the typed text is kept', async () => {
    const mock = setup();
    await mount(mock);
    mock.webAPI.failNext('create');
    fireEvent.change(composer(), { target: { value: 'Refund is on its way' } });
    fireEvent.keyDown(composer(), { key: 'Enter' });
    expect(await screen.findByText('The message was not sent. Your text is kept; try again.')).toBeTruthy();
    expect((composer() as HTMLTextAreaElement).value).toBe('Refund is on its way');
    expect(mock.webAPI.rows('swb_message').some((m) => m.swb_body === 'Refund is on its way')).toBe(false);
  });

  test('an internal note is stored internal and shown visibly different', async () => {
    const mock = setup();
    await mount(mock);
    fireEvent.click(screen.getByRole('switch', { name: 'Internal note' }));
    fireEvent.change(composer(), { target: { value: 'customer sounds upset' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    const body = await within(screen.getByRole('list', { name: 'Conversation transcript' })).findByText('customer sounds upset');
    const bubble = body.closest('[data-kind]')!;
    expect(bubble.getAttribute('data-internal')).toBe('true');
    expect(bubble.getAttribute('aria-label')).toBe('Internal note by You, not visible to the customer');
    expect(mock.webAPI.rows('swb_message').find((m) => m.swb_body === 'customer sounds upset')!.swb_visibility).toBe(Visibility.Internal);
  });

  test('message text is rendered as text, never as HTML', async () => {
    const mock = setup({ messages: 0 });
    mock.webAPI.put('swb_message', customer(1, '<img src=x onerror="alert(1)"><b>bold</b>'));
    const { view } = await mount(mock);
    expect(await screen.findByText('<img src=x onerror="alert(1)"><b>bold</b>')).toBeTruthy();
    expect(view.container.querySelector('img')).toBeNull();
    expect(view.container.querySelector('b')).toBeNull();
  });

  test('a new customer message appears without reload and is announced', async () => {
    const mock = setup();
    await mount(mock);
    await screen.findByText('message number 2');
    mock.webAPI.put('swb_message', customer(3, 'are you there?'));
    await act(async () => {
      jest.advanceTimersByTime(2000);
    });
    expect(await screen.findByText('are you there?')).toBeTruthy();
    expect(screen.getByTestId('live-region').textContent).toBe('New message from Ana Ruiz: are you there?');
    const polls = mock.webAPI.calls.filter((c) => c.table === 'swb_message' && c.op === 'retrieveMultiple');
    expect(polls[polls.length - 1].options).toContain('swb_sequence ge 3');
  });

  test('only the primary agent has consult, transfer and end enabled', async () => {
    await mount(setup({ primary: false }));
    await screen.findByText('Only the primary agent can consult, transfer or end.');
    expect(screen.getByRole('button', { name: 'Consult' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Transfer' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'End conversation' })).toHaveProperty('disabled', true);
  });

  test('after transferring the conversation away, the sender can no longer consult, transfer or end it', async () => {
    const mock = setup();
    // The sender's primary session, as the session step stores it: read once when the pane opens.
    mock.webAPI.put('swb_session', { _swb_conversationid_value: CONV, _swb_agentid_value: ME, swb_role: SessionRole.Primary, swb_state: 612400000, swb_joinedon: '2026-11-24T10:00:00Z' });
    await mount(mock);
    await screen.findByText('message number 2');
    expect(screen.getByRole('button', { name: 'Transfer' })).toHaveProperty('disabled', false);
    mock.webAPI.put('swb_conversation', { ...mock.webAPI.row('swb_conversation', CONV), _swb_primaryagentid_value: OTHER });
    await act(async () => {
      jest.advanceTimersByTime(2000);
    });
    await screen.findByText('Only the primary agent can consult, transfer or end.');
    expect(screen.getByRole('button', { name: 'Transfer' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'End conversation' })).toHaveProperty('disabled', true);
  });

  test('consult offers only available queue members with capacity not already in the conversation, and invites the one chosen', async () => {
    const mock = setup();
    const api = mock.webAPI;
    const free = '33333333-3333-4333-8333-333333333333';
    const busy = '44444444-4444-4444-8444-444444444444';
    const consulting = '55555555-5555-4555-8555-555555555555';
    api.put('swb_session', { _swb_conversationid_value: CONV, _swb_agentid_value: consulting, swb_role: SessionRole.Consult, swb_state: 612400000 });
    const members = [[free, 'Bea Free', Presence.Available, 0], [busy, 'Cal Busy', Presence.Busy, 0], [ME, 'Avery Agent', Presence.Available, 1], [consulting, 'Dee Already', Presence.Available, 0]] as const;
    // A member whose user account is disabled is not a candidate either.
    const disabled = '66666666-6666-4666-8666-666666666666';
    api.put('queue', { queueid: QUEUE, queuemembership_association: [...members.map(([id]) => ({ systemuserid: id })), { systemuserid: disabled, isdisabled: true }] });
    api.put('systemuser', { systemuserid: disabled, fullname: 'Eve Disabled' });
    api.put('swb_agentstatus', { _swb_agentid_value: disabled, swb_basepresence: Presence.Available, swb_capacityused: 0, swb_capacitymax: 3 });
    for (const [id, name, presence, used] of members) {
      api.put('systemuser', { systemuserid: id, fullname: name });
      api.put('swb_agentstatus', { _swb_agentid_value: id, swb_basepresence: presence, swb_capacityused: used, swb_capacitymax: 3 });
    }
    await mount(mock);
    await screen.findByText('message number 2');
    fireEvent.click(screen.getByRole('button', { name: 'Consult' }));
    const dialog = await screen.findByRole('dialog');
    const select = await within(dialog).findByRole('combobox');
    expect([...(select as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['Bea Free (3 free)']);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Invite' }));
    await screen.findByText('Bea Free invited to consult');
    expect(api.rows('swb_session').filter((r) => r._swb_agentid_value === free)).toEqual([expect.objectContaining({ swb_role: SessionRole.Consult })]);
    // The join time is the row's createdon (the server's), never a time sent from the browser.
    expect(api.rows('swb_session').find((r) => r._swb_agentid_value === free)!.swb_joinedon).toBeUndefined();
  });

  test('transfer to an agent lists the agent I am consulting with, and makes the one chosen primary', async () => {
    const mock = setup();
    const api = mock.webAPI;
    const consulting = '55555555-5555-4555-8555-555555555555';
    api.put('swb_session', { _swb_conversationid_value: CONV, _swb_agentid_value: consulting, swb_role: SessionRole.Consult, swb_state: 612400000 });
    api.put('queue', { queueid: QUEUE, name: 'Web', queuemembership_association: [{ systemuserid: ME }, { systemuserid: consulting }] });
    for (const [id, name] of [[ME, 'Avery Agent'], [consulting, 'Dee Consulting']] as const) {
      api.put('systemuser', { systemuserid: id, fullname: name });
      api.put('swb_agentstatus', { _swb_agentid_value: id, swb_basepresence: Presence.Available, swb_capacityused: 1, swb_capacitymax: 3 });
    }
    await mount(mock);
    await screen.findByText('message number 2');
    fireEvent.click(screen.getByRole('button', { name: 'Transfer' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('radio', { name: 'An agent' }));
    const select = await within(dialog).findByRole('combobox', { name: 'Agent' });
    expect([...(select as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['Dee Consulting']);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Transfer' }));
    await screen.findByText('Transferred to Dee Consulting');
    expect(api.row('swb_conversation', CONV)!._swb_primaryagentid_value).toBe(consulting);
  });

  test('end moves to wrap-up, then close closes', async () => {
    const mock = setup();
    await mount(mock);
    fireEvent.click(await screen.findByRole('button', { name: 'End conversation' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Close' }));
    await screen.findByText('Conversation closed');
    expect(mock.webAPI.row('swb_conversation', CONV)!.swb_state).toBe(ConversationState.Closed);
    expect(composer()).toHaveProperty('disabled', true);
  });

  test('a quick reply fills its placeholders and flags the ones left', async () => {
    const mock = setup();
    mock.webAPI.put('swb_messagetemplate', { statecode: 0, swb_name: 'Greeting', swb_kind: TemplateKind.QuickReply, swb_body: 'Hi {customer.firstname}, {agent.firstname} here. Order {order.number}?' });
    await mount(mock);
    fireEvent.click(await screen.findByRole('button', { name: 'Quick replies' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'Greeting' }));
    expect((composer() as HTMLTextAreaElement).value).toBe('Hi Ana, Avery here. Order ?');
    expect(screen.getByText('Fill in: order.number')).toBeTruthy();
  });

  test('a 5,000-message transcript keeps only a window of rows in the DOM', async () => {
    const mock = setup({ messages: 5000 });
    const { view } = await mount(mock);
    expect(await screen.findByText('message number 5000')).toBeTruthy();
    const rows = view.container.querySelectorAll('[role="listitem"]');
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.length).toBeLessThan(40);
    expect(rows[rows.length - 1].getAttribute('aria-setsize')).toBe('5000');
    expect(screen.queryByText('message number 1')).toBeNull();
  });
});
