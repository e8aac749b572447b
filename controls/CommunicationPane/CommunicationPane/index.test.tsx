import * as path from 'node:path';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { createMockContext, dataverseError, fakePushPerTest, prop, type MockContext } from '../../shared/src/testing';
import { loadResx } from '../../shared/src/testing/load-resx';
import { AuthorKind, ChannelType, ConversationState, DeliveryStatus, MessageDirection, Presence, SessionRole, SessionState, TemplateKind, Visibility } from '../../shared/src';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { CommunicationPane } from './index';

const CONV = 'aaaaaaaa-0000-4000-8000-000000000001';
const ME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const QUEUE = 'cccccccc-0000-4000-8000-000000000001';
const strings = loadResx(path.join(__dirname, 'strings/CommunicationPane.1033.resx'));
const F = '@OData.Community.Display.V1.FormattedValue';

function customer(seq: number, body: string) {
  return { _swb_conversationid_value: CONV, swb_sequence: seq, swb_body: body, swb_direction: MessageDirection.Inbound, swb_authorkind: AuthorKind.Customer, swb_visibility: Visibility.Public, swb_deliverystatus: DeliveryStatus.Received, swb_authorname: 'Ana Ruiz', createdon: '2026-11-24T10:00:00Z' };
}

function setup(opts: { primary?: boolean; messages?: number; state?: number; languageId?: number } = {}): MockContext<IInputs> {
  const mock = createMockContext<IInputs>({
    parameters: { anchor: prop('Chat'), conversationId: prop(CONV), pollSeconds: prop(2, 'Whole.None'), heightPx: prop(600, 'Whole.None') } as unknown as IInputs,
    // The language decides which templates are offered; the strings stay English for the queries.
    strings,
    languageId: opts.languageId ?? 1033,
    userId: ME,
    userName: 'Avery Agent',
    height: -1,
  });
  const api = mock.webAPI;
  api.put('swb_conversation', {
    activityid: CONV,
    swb_state: opts.state ?? ConversationState.Active,
    swb_channeltype: ChannelType.LiveChat,
    _swb_queueid_value: QUEUE,
    [`_swb_queueid_value${F}`]: 'Billing',
    _swb_primaryagentid_value: opts.primary === false ? OTHER : ME,
    [`_swb_primaryagentid_value${F}`]: opts.primary === false ? 'Dee Other' : 'Avery Agent',
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
const poll = () =>
  act(async () => {
    jest.advanceTimersByTime(2000);
  });
const session = (agent: string, role: number, state: number = SessionState.Active) => ({ _swb_conversationid_value: CONV, _swb_agentid_value: agent, swb_role: role, swb_state: state, swb_joinedon: '2026-11-24T10:00:00Z' });

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

  test('a consulting agent writes internal notes only, is told so, and cannot consult, transfer or end', async () => {
    const mock = setup({ primary: false });
    mock.webAPI.put('swb_session', session(ME, SessionRole.Consult));
    await mount(mock);
    await screen.findByText('You are consulting with Dee Other, the primary agent. Only the primary agent can consult, transfer or end.');
    for (const name of ['Consult', 'Transfer', 'End conversation']) expect(screen.getByRole('button', { name })).toHaveProperty('disabled', true);
    // No choice to make and no customer-facing templates: what a consultant writes is a note.
    expect(screen.queryByRole('switch', { name: 'Internal note' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Quick replies' })).toBeNull();
    expect(screen.getByText(/You are consulting: what you write is an internal note/)).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox', { name: 'Internal note (agents and supervisors only)' }), { target: { value: 'Check the refund log' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await screen.findByText('Internal note added');
    expect(mock.webAPI.rows('swb_message').find((m) => m.swb_body === 'Check the refund log')).toMatchObject({ swb_visibility: Visibility.Internal });
  });

  test('a note Dataverse refuses shows Dataverse\'s own message and keeps the text in the box', async () => {
    const mock = setup({ primary: false });
    mock.webAPI.put('swb_session', session(ME, SessionRole.Consult));
    await mount(mock);
    mock.webAPI.failNext('create', dataverseError('This conversation is closed; nothing more can be written in it.'));
    fireEvent.change(composer(), { target: { value: 'One more thing' } });
    fireEvent.keyDown(composer(), { key: 'Enter' });
    expect((await screen.findByRole('alert')).textContent).toBe('This conversation is closed; nothing more can be written in it.');
    expect((composer() as HTMLTextAreaElement).value).toBe('One more thing');
  });

  test('a note refused because the consult was ended elsewhere keeps the text, and the pane then says the consult is over', async () => {
    const mock = setup({ primary: false });
    const mine = mock.webAPI.put('swb_session', session(ME, SessionRole.Consult));
    await mount(mock);
    await screen.findByText(/You are consulting with Dee Other/);
    // Nothing on the conversation row moves: only the refusal tells the pane.
    mock.webAPI.put('swb_session', { ...mine, swb_state: SessionState.Closed });
    mock.webAPI.failNext('create', dataverseError('You are not taking part in this conversation, so you cannot write in it.'));
    fireEvent.change(composer(), { target: { value: 'Also check the order' } });
    fireEvent.keyDown(composer(), { key: 'Enter' });
    expect((await screen.findByRole('alert')).textContent).toBe('You are not taking part in this conversation, so you cannot write in it.');
    await screen.findByText('Your consult has ended. You can read this conversation but no longer write in it.', { selector: 'span' });
    expect((composer() as HTMLTextAreaElement).value).toBe('Also check the order');
    expect(composer()).toHaveProperty('disabled', true);
  });

  test('after transferring the conversation away, the sender reads it but can no longer write or act, and is told to whom it went', async () => {
    const mock = setup();
    // The sender's primary session, as the session step stores it.
    mock.webAPI.put('swb_session', session(ME, SessionRole.Primary));
    await mount(mock);
    await screen.findByText('message number 2');
    expect(screen.getByRole('button', { name: 'Transfer' })).toHaveProperty('disabled', false);
    const conversation = mock.webAPI.row('swb_conversation', CONV)!;
    mock.webAPI.put('swb_conversation', { ...conversation, _swb_primaryagentid_value: OTHER, [`_swb_primaryagentid_value${F}`]: 'Bruno Petit' });
    const mine = mock.webAPI.rows('swb_session').find((r) => r._swb_agentid_value === ME)!;
    mock.webAPI.put('swb_session', { ...mine, swb_state: SessionState.Closed, swb_lefton: '2026-11-24T10:05:00Z' });
    await poll();
    const notice = await screen.findByText('Transferred to Bruno Petit. You can read this conversation but no longer write in it.', { selector: 'span' });
    expect(notice.closest('[role="status"]')).toBeTruthy();
    expect(screen.getByTestId('live-region').textContent).toBe('Transferred to Bruno Petit. You can read this conversation but no longer write in it.');
    for (const name of ['Consult', 'Transfer', 'End conversation']) expect(screen.getByRole('button', { name })).toHaveProperty('disabled', true);
    expect(composer()).toHaveProperty('disabled', true);
    expect(screen.getByText('message number 2')).toBeTruthy();
  });

  test('a conversation sent back to a queue is read-only for the agent who had it', async () => {
    const mock = setup();
    mock.webAPI.put('swb_session', session(ME, SessionRole.Primary));
    await mount(mock);
    await screen.findByText('message number 2');
    mock.webAPI.put('swb_conversation', { ...mock.webAPI.row('swb_conversation', CONV)!, _swb_primaryagentid_value: null, swb_state: ConversationState.Waiting });
    const mine = mock.webAPI.rows('swb_session').find((r) => r._swb_agentid_value === ME)!;
    mock.webAPI.put('swb_session', { ...mine, swb_state: SessionState.Closed });
    await poll();
    await screen.findByText('Sent back to the Billing queue. You can read this conversation but no longer write in it.', { selector: 'span' });
    expect(composer()).toHaveProperty('disabled', true);
  });

  test('during wrap-up the primary agent can still add internal notes but not reply', async () => {
    const mock = setup({ state: ConversationState.WrapUp });
    await mount(mock);
    await screen.findByText('The conversation has ended: you can still add internal notes.');
    expect(screen.queryByRole('switch', { name: 'Internal note' })).toBeNull();
    fireEvent.change(screen.getByRole('textbox', { name: 'Internal note (agents and supervisors only)' }), { target: { value: 'Refund done' } });
    fireEvent.keyDown(composer(), { key: 'Enter' });
    await screen.findByText('Internal note added');
    expect(mock.webAPI.rows('swb_message').find((m) => m.swb_body === 'Refund done')).toMatchObject({ swb_visibility: Visibility.Internal });
  });

  test('a transfer Dataverse refuses says why with Dataverse\'s message, and the message stays through later polls until dismissed', async () => {
    const mock = setup();
    const api = mock.webAPI;
    const consulting = '55555555-5555-4555-8555-555555555555';
    api.put('queue', { queueid: QUEUE, name: 'Web', queuemembership_association: [{ systemuserid: ME }, { systemuserid: consulting }] });
    api.put('systemuser', { systemuserid: consulting, fullname: 'Dee Consulting' });
    api.put('swb_agentstatus', { _swb_agentid_value: consulting, swb_basepresence: Presence.Available, swb_capacityused: 0, swb_capacitymax: 3 });
    await mount(mock);
    await screen.findByText('message number 2');
    fireEvent.click(screen.getByRole('button', { name: 'Transfer' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('radio', { name: 'An agent' }));
    await within(dialog).findByRole('combobox', { name: 'Agent' });
    api.failNext('update', dataverseError('Only the primary agent of this conversation (Bruno Petit) can transfer it.'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Transfer' }));
    const refusal = 'Only the primary agent of this conversation (Bruno Petit) can transfer it.';
    expect((await screen.findByText(refusal)).closest('[role="alert"]')).toBeTruthy();
    await poll();
    await poll();
    const alert = screen.getByText(refusal).closest('[role="alert"]') as HTMLElement;
    fireEvent.click(within(alert).getByText('Dismiss'));
    expect(screen.queryByText(refusal)).toBeNull();
  });

  test('an end Dataverse refuses without a message of its own (the network) gets the pane\'s sentence', async () => {
    const mock = setup();
    await mount(mock);
    await screen.findByText('message number 2');
    mock.webAPI.failNext('update', new TypeError('Failed to fetch'));
    fireEvent.click(screen.getByRole('button', { name: 'End conversation' }));
    expect((await screen.findByRole('alert')).textContent).toContain('That did not work. Try again.');
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

  test('quick replies are those in the agent\'s language or in none, never another language\'s', async () => {
    for (const [languageId, shown] of [[1033, ['Greeting', 'Thanks']], [1036, ['Salutation', 'Thanks']]] as const) {
      const mock = setup({ languageId });
      mock.webAPI.put('swb_messagetemplate', { statecode: 0, swb_name: 'Greeting', swb_kind: TemplateKind.QuickReply, swb_locale: 'en', swb_body: 'Hello' });
      mock.webAPI.put('swb_messagetemplate', { statecode: 0, swb_name: 'Salutation', swb_kind: TemplateKind.QuickReply, swb_locale: 'fr', swb_body: 'Bonjour' });
      mock.webAPI.put('swb_messagetemplate', { statecode: 0, swb_name: 'Thanks', swb_kind: TemplateKind.QuickReply, swb_locale: null, swb_body: 'Thank you / Merci' });
      const { view, control } = await mount(mock);
      fireEvent.click(await screen.findByRole('button', { name: 'Quick replies' }));
      const items = await screen.findAllByRole('menuitem');
      expect(items.map((i) => i.textContent)).toEqual(shown);
      view.unmount();
      control.destroy();
    }
  });

  test('the live region says who wrote what: a colleague\'s internal note is said to be one, an automated line is not given an author', async () => {
    const mock = setup();
    await mount(mock);
    await screen.findByText('message number 2');
    mock.webAPI.put('swb_message', { _swb_conversationid_value: CONV, swb_sequence: 3, swb_body: 'Refund approved', swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent, swb_visibility: Visibility.Internal, _swb_authoragentid_value: OTHER, [`_swb_authoragentid_value${F}`]: 'Bruno Petit' });
    await poll();
    expect(screen.getByTestId('live-region').textContent).toBe('Internal note from Bruno Petit: Refund approved');
    mock.webAPI.put('swb_message', { _swb_conversationid_value: CONV, swb_sequence: 4, swb_body: 'Thanks! An agent will be with you shortly.', swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.System, swb_visibility: Visibility.Public });
    await poll();
    expect(screen.getByTestId('live-region').textContent).toBe('Automated message: Thanks! An agent will be with you shortly.');
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

  describe('with live updates', () => {
    const current = fakePushPerTest(ME);
    const messageReads = (mock: MockContext<IInputs>) => mock.webAPI.calls.filter((c) => c.op === 'retrieveMultiple' && c.table === 'swb_message').length;
    const wait = (ms: number) =>
      act(async () => {
        jest.advanceTimersByTime(ms);
      });

    test('a new message of this conversation is read when told, and the pane does not poll every few seconds', async () => {
      const mock = setup();
      await mount(mock);
      await screen.findByText('message number 2');
      const opened = messageReads(mock);
      await wait(60_000);
      expect(messageReads(mock)).toBe(opened);
      mock.webAPI.put('swb_message', customer(3, 'are you there?'));
      await act(async () => current().emit({ kind: 'message', conversationId: CONV, sequence: 3 }));
      expect(await screen.findByText('are you there?')).toBeTruthy();
      expect(messageReads(mock)).toBe(opened + 1);
    });

    test('an event for a message the pane already has, or for another conversation, costs no read', async () => {
      const mock = setup();
      await mount(mock);
      await screen.findByText('message number 2');
      const opened = mock.webAPI.calls.length;
      await act(async () => {
        current().emit({ kind: 'message', conversationId: CONV, sequence: 2 });
        current().emit({ kind: 'message', conversationId: 'aaaaaaaa-0000-4000-8000-00000000ffff', sequence: 9 });
        current().emit({ kind: 'conversation', conversationId: 'aaaaaaaa-0000-4000-8000-00000000ffff' });
      });
      expect(mock.webAPI.calls.length).toBe(opened);
    });

    test('the customer typing shows for six seconds, and goes when their message arrives', async () => {
      const mock = setup();
      await mount(mock);
      await act(async () => current().emit({ kind: 'typing', conversationId: CONV, by: 'customer' }));
      expect(screen.getByTestId('pane-typing').textContent).toBe('The customer is typing…');
      await wait(6_100);
      expect(screen.queryByTestId('pane-typing')).toBeNull();
      await act(async () => current().emit({ kind: 'typing', conversationId: CONV, by: 'customer' }));
      mock.webAPI.put('swb_message', customer(3, 'here it is'));
      await act(async () => current().emit({ kind: 'message', conversationId: CONV, sequence: 3 }));
      await screen.findByText('here it is');
      expect(screen.queryByTestId('pane-typing')).toBeNull();
    });

    test('the primary agent typing a reply tells the customer at most every three seconds; a note does not', async () => {
      const mock = setup();
      await mount(mock);
      await screen.findByText('message number 2');
      fireEvent.change(composer(), { target: { value: 'H' } });
      fireEvent.change(composer(), { target: { value: 'He' } });
      expect(current().sent).toEqual([{ name: 'typing', data: { conversationId: CONV } }]);
      jest.setSystemTime(Date.now() + 3_100);
      fireEvent.change(composer(), { target: { value: 'Hel' } });
      expect(current().sent).toHaveLength(2);
      jest.setSystemTime(Date.now() + 3_100);
      fireEvent.click(screen.getByRole('switch', { name: /internal note/i }));
      fireEvent.change(composer(), { target: { value: 'a note for colleagues' } });
      expect(current().sent).toHaveLength(2);
    });

    test('a consultant typing tells the customer nothing', async () => {
      const mock = setup({ primary: false });
      mock.webAPI.put('swb_session', session(ME, SessionRole.Consult));
      await mount(mock);
      fireEvent.change(composer(), { target: { value: 'a note' } });
      expect(current().sent).toEqual([]);
    });

    test('while push is down the pane polls every minute, and reads what it missed when connected again', async () => {
      const mock = setup();
      await mount(mock);
      await screen.findByText('message number 2');
      await act(async () => current().become('down'));
      const down = messageReads(mock);
      await wait(30_000);
      expect(messageReads(mock)).toBe(down);
      await wait(31_000);
      expect(messageReads(mock)).toBe(down + 1);
      mock.webAPI.put('swb_message', customer(3, 'sent while you were away'));
      await act(async () => current().become('connected'));
      expect(await screen.findByText('sent while you were away')).toBeTruthy();
    });
  });
});
