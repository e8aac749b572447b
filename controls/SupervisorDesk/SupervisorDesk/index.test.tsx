import * as path from 'node:path';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMockContext, prop, type MockContext } from '../../shared/src/testing';
import { loadResx } from '../../shared/src/testing/load-resx';
import { AuthorKind, ConversationState, MessageDirection, Presence, Sentiment, SessionRole, Visibility } from '../../shared/src';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { SupervisorDesk } from './index';
import { sectionsOf } from './logic/sections';
import { SupervisorAction } from './logic/choices';

const ME = '11111111-1111-4111-8111-111111111111';
const ALICE = '22222222-2222-4222-8222-222222222222';
const BRUNO = '33333333-3333-4333-8333-333333333333';
const WEB = 'aaaaaaaa-0000-4000-8000-000000000001';
const WAITING = 'cccccccc-0000-4000-8000-000000000001';
const ACTIVE = 'cccccccc-0000-4000-8000-000000000002';
const NOW = Date.parse('2026-11-24T10:30:00Z');

function setup(sections = 'queues,conversations,agents'): MockContext<IInputs> {
  const mock = createMockContext<IInputs>({
    parameters: { anchor: prop(''), pollSeconds: prop(15, 'Whole.None'), transcriptSeconds: prop(3, 'Whole.None'), heightPx: prop(800, 'Whole.None'), sections: prop(sections) } as unknown as IInputs,
    strings: loadResx(path.join(__dirname, 'strings/SupervisorDesk.1033.resx')),
    userId: ME,
    userName: 'Sam Leroy',
  });
  const api = mock.webAPI;
  api.put('systemuser', {
    systemuserid: ME,
    queuemembership_association: [
      { queueid: WEB, name: 'Web support', queuemembership_association: [{ systemuserid: ME, fullname: 'Sam Leroy' }, { systemuserid: ALICE, fullname: 'Alice Martin' }, { systemuserid: BRUNO, fullname: 'Bruno Petit' }] },
    ],
  });
  api.put('swb_agentstatus', { _swb_agentid_value: ALICE, swb_basepresence: Presence.Available, swb_capacityused: 1, swb_capacitymax: 1 });
  api.put('swb_agentstatus', { _swb_agentid_value: BRUNO, swb_basepresence: Presence.Away, swb_capacityused: 0, swb_capacitymax: 3 });
  api.put('swb_conversation', { activityid: WAITING, swb_state: ConversationState.Waiting, _swb_queueid_value: WEB, swb_customername: 'Dana Whitfield', swb_queuedon: '2026-11-24T10:28:55Z' });
  api.put('swb_conversation', {
    activityid: ACTIVE, swb_state: ConversationState.Active, _swb_queueid_value: WEB, _swb_primaryagentid_value: ALICE, swb_customername: 'Camille Bernard',
    swb_queuedon: '2026-11-24T10:10:00Z', swb_firstassignedon: '2026-11-24T10:10:12Z', swb_activeon: '2026-11-24T10:10:12Z', swb_waitseconds: 12, swb_lastcustomermessageon: '2026-11-24T10:29:00Z',
  });
  api.put('swb_message', { _swb_conversationid_value: ACTIVE, swb_sequence: 1, swb_direction: MessageDirection.Inbound, swb_authorkind: AuthorKind.Customer, swb_visibility: Visibility.Public, swb_body: 'Where is my tent?' });
  api.put('swb_message', { _swb_conversationid_value: ACTIVE, swb_sequence: 2, swb_direction: MessageDirection.Outbound, swb_authorkind: AuthorKind.Agent, swb_visibility: Visibility.Public, swb_body: 'It ships tomorrow.', swb_authorname: 'Alice Martin' });
  return mock;
}

async function mount(mock: MockContext<IInputs>) {
  const control: ComponentFramework.ReactControl<IInputs, IOutputs> = new SupervisorDesk();
  control.init(mock.context, mock.notifyOutputChanged, {}, document.createElement('div'));
  const view = render(control.updateView(mock.context));
  return { control, view };
}

const desk = () => screen.getByTestId('supervisor-desk');
/** The list row (a virtualised list item) that shows this text. */
const row = (text: string) => {
  const found = screen.getAllByRole('listitem').find((li) => li.textContent?.includes(text));
  if (!found) throw new Error(`no row shows ${text}`);
  return found;
};

beforeEach(() => {
  jest.useFakeTimers();
  jest.setSystemTime(NOW);
});
afterEach(async () => {
  await act(async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  });
  jest.useRealTimers();
});

describe('SupervisorDesk', () => {
  test('init → updateView → getOutputs → destroy: the floor of my queues, with queue figures and every ongoing conversation', async () => {
    const mock = setup();
    const { control, view } = await mount(mock);
    await screen.findByText('Camille Bernard');
    const queues = screen.getByTestId('queues-table');
    const web = within(queues).getByRole('row', { name: /Web support/ });
    expect(within(web).getAllByRole('cell').map((c) => c.textContent)).toEqual(['1', '1:05', '0', '—', '—', '—', '0', '—', '0 of 3']);
    expect(within(row('Camille Bernard')).getByText('Alice Martin')).toBeTruthy();
    // Wait 12 s (the first wait, stamped), handled for 19:48, the customer wrote 1:00 ago.
    expect(row('Camille Bernard').textContent).toContain('0:12');
    expect(row('Camille Bernard').textContent).toContain('19:48');
    expect(row('Camille Bernard').textContent).toContain('1:00');
    expect(row('Dana Whitfield').textContent).toContain('Nobody yet');
    expect(screen.getByRole('tab', { name: 'Ongoing conversations (2)' })).toBeTruthy();
    // The clock runs without a request: the waiting time counts up.
    const before = mock.webAPI.calls.length;
    act(() => {
      jest.advanceTimersByTime(5_000);
    });
    expect(row('Dana Whitfield').textContent).toContain('1:10');
    expect(mock.webAPI.calls.length).toBe(before);
    expect(control.getOutputs?.()).toEqual({});
    view.unmount();
    control.destroy();
  });

  test('every sentiment level shows on its conversation; negative and very negative customers are flagged, and can be listed alone', async () => {
    const mock = setup('conversations');
    const levels: [string, number][] = [
      ['Vera', Sentiment.VeryNegative], ['Nina', Sentiment.Negative], ['Sly', Sentiment.SlightlyNegative], ['Ned', Sentiment.Neutral],
      ['Sam', Sentiment.SlightlyPositive], ['Pat', Sentiment.Positive], ['Viv', Sentiment.VeryPositive],
    ];
    levels.forEach(([name, sentiment], i) =>
      mock.webAPI.put('swb_conversation', {
        activityid: `dddddddd-0000-4000-8000-00000000000${i}`, swb_state: ConversationState.Active, _swb_queueid_value: WEB, _swb_primaryagentid_value: ALICE,
        swb_customername: name, swb_queuedon: '2026-11-24T10:00:00Z', swb_activeon: '2026-11-24T10:01:00Z', swb_sentiment: sentiment,
      }),
    );
    await mount(mock);
    await screen.findByText('Vera');
    const flagged = (name: string) => row(name).querySelector('[data-upset]') !== null;
    expect(levels.map(([name]) => [name, flagged(name)])).toEqual([['Vera', true], ['Nina', true], ['Sly', false], ['Ned', false], ['Sam', false], ['Pat', false], ['Viv', false]]);
    expect(row('Vera').textContent).toContain('⚠ Very negative');
    expect(row('Nina').textContent).toContain('⚠ Negative');
    expect(row('Sly').textContent).toContain('Slightly negative');
    expect(row('Ned').textContent).toContain('Neutral');
    expect(row('Sam').textContent).toContain('Slightly positive');
    expect(row('Pat').textContent).toContain('Positive');
    expect(row('Viv').textContent).toContain('Very positive');
    expect(flagged('Camille Bernard')).toBe(false);

    fireEvent.change(screen.getByRole('combobox', { name: 'Sentiment' }), { target: { value: 'upset' } });
    await waitFor(() => expect(screen.getAllByRole('listitem').map((li) => li.textContent?.slice(0, 4))).toEqual(['Vera', 'Nina']));
  });

  test('monitoring records a Monitor action before the transcript opens, and writes nothing the customer or agent sees', async () => {
    const mock = setup();
    await mount(mock);
    await screen.findByText('Camille Bernard');
    fireEvent.click(screen.getByRole('button', { name: 'Monitor the conversation with Camille Bernard' }));
    const panel = await screen.findByTestId('monitor-panel');
    await within(panel).findByText('Where is my tent?');
    expect(within(panel).getByText('Silent: neither the customer nor the agent is told.')).toBeTruthy();
    expect(mock.webAPI.rows('swb_supervisoraction')).toEqual([expect.objectContaining({ swb_action: SupervisorAction.Monitor, _swb_supervisorid_value: ME, _swb_conversationid_value: ACTIVE })]);
    expect(mock.webAPI.rows('swb_message')).toHaveLength(2);
  });

  test('a monitor Dataverse refuses opens nothing and says why', async () => {
    const mock = setup();
    await mount(mock);
    await screen.findByText('Camille Bernard');
    mock.webAPI.failNext('create', new Error("Only a supervisor of this conversation's queue can do that."));
    fireEvent.click(screen.getByRole('button', { name: 'Monitor the conversation with Camille Bernard' }));
    await screen.findByText("Only a supervisor of this conversation's queue can do that.");
    expect(screen.queryByTestId('monitor-panel')).toBeNull();
  });

  test('joining is a consult session of my own; then my notes are internal', async () => {
    const mock = setup();
    await mount(mock);
    await screen.findByText('Camille Bernard');
    fireEvent.click(within(row('Camille Bernard')).getByRole('button', { name: 'More actions for Camille Bernard' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'Join' }));
    const panel = await screen.findByTestId('monitor-panel');
    await within(panel).findByText(/You joined as a consultant/);
    expect(mock.webAPI.rows('swb_session')).toEqual([expect.objectContaining({ _swb_agentid_value: ME, swb_role: SessionRole.Consult, _swb_conversationid_value: ACTIVE })]);
    fireEvent.change(within(panel).getByRole('textbox', { name: 'Internal note' }), { target: { value: 'Offer a voucher.' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(mock.webAPI.rows('swb_message').find((m) => m['swb_body'] === 'Offer a voucher.')).toMatchObject({ swb_visibility: Visibility.Internal, _swb_authoragentid_value: ME }));
    // The note shows under my name, taken from the roster (the row carries only my id).
    await within(panel).findByText('Sam Leroy');
  });

  test("assigning a waiting conversation: Dataverse's refusal of a full agent is shown, and going over capacity is the supervisor's explicit choice", async () => {
    const mock = setup();
    await mount(mock);
    await screen.findByText('Dana Whitfield');
    fireEvent.click(within(row('Dana Whitfield')).getByRole('button', { name: 'More actions for Dana Whitfield' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'Assign…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Assign the conversation with Dana Whitfield' });
    const agent = within(dialog).getByRole('combobox', { name: 'Agent' }) as HTMLSelectElement;
    // Alice is full, so Bruno is proposed first; the supervisor picks Alice anyway.
    expect([...agent.options].map((o) => o.textContent)).toEqual(['Alice Martin — Available, 1/1, full', 'Bruno Petit — Away, 0/3']);
    expect(agent.value).toBe(BRUNO);
    fireEvent.change(agent, { target: { value: ALICE } });
    mock.webAPI.failNext('update', new Error('Alice Martin has no capacity left for this conversation. Assign it anyway to go over their capacity.'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Assign' }));
    await within(dialog).findByText('Alice Martin has no capacity left for this conversation. Assign it anyway to go over their capacity.');
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Go over their capacity if they are full' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Assign' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(mock.webAPI.row('swb_conversation', WAITING)).toMatchObject({ swb_state: ConversationState.Active, _swb_primaryagentid_value: ALICE, swb_forcedassignment: true });
  });

  test('transfer to a queue and force close are confirmed in a dialog, then written', async () => {
    const mock = setup();
    await mount(mock);
    await screen.findByText('Camille Bernard');
    fireEvent.click(within(row('Camille Bernard')).getByRole('button', { name: 'More actions for Camille Bernard' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'Force close' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Force close the conversation with Camille Bernard?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Force close' }));
    await waitFor(() => expect(mock.webAPI.row('swb_conversation', ACTIVE)?.['swb_state']).toBe(ConversationState.Closed));
  });

  test("agents: every member of my queues with presence and capacity; a supervisor sets one's presence or signs them out", async () => {
    const mock = setup();
    await mount(mock);
    await screen.findByText('Camille Bernard');
    fireEvent.click(screen.getByRole('tab', { name: 'Agents (3)' }));
    await screen.findByText('Alice Martin');
    const alice = row('Alice Martin');
    expect(alice.textContent).toContain('1/1 units');
    fireEvent.change(within(row('Bruno Petit')).getByRole('combobox', { name: 'Presence of Bruno Petit' }), { target: { value: String(Presence.Available) } });
    await waitFor(() => expect(mock.webAPI.rows('swb_agentstatus').find((s) => s['_swb_agentid_value'] === BRUNO)).toMatchObject({ swb_basepresence: Presence.Available, swb_manualoverride: true }));
    fireEvent.click(within(alice).getByRole('button', { name: 'Sign Alice Martin out' }));
    await waitFor(() => expect(mock.webAPI.rows('swb_agentstatus').find((s) => s['_swb_agentid_value'] === ALICE)).toMatchObject({ swb_basepresence: Presence.Offline, swb_manualoverride: false }));
    // No status row yet: nothing to set.
    expect(within(row('Sam Leroy')).getByText('No agent status')).toBeTruthy();
  });

  test('someone without the Supervisor role is told so and the desk reads nothing more', async () => {
    const mock = setup();
    mock.webAPI.failNext('retrieveMultiple', Object.assign(new Error('no privilege'), { status: 403 }));
    await mount(mock);
    await screen.findByText('The supervisor desk needs the Switchboard Supervisor role.');
    expect(mock.webAPI.calls).toHaveLength(1);
    expect(desk().textContent).not.toContain('Camille');
  });

  test('a maker may place only some sections; nothing valid means all three', async () => {
    expect([...sectionsOf('Agents, queues')]).toEqual(['agents', 'queues']);
    expect([...sectionsOf('nonsense')]).toEqual(['queues', 'conversations', 'agents']);
    await mount(setup('agents'));
    await screen.findByRole('tab', { name: 'Agents (3)' });
    expect(screen.queryByTestId('queues-table')).toBeNull();
    expect(screen.queryByRole('tab', { name: /Ongoing/ })).toBeNull();
  });
});
