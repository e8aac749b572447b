/** @jest-environment jsdom */
import type { SessionState } from './chat-session';
import type { PublicMessage } from './contract';
import { resolveStrings } from './locale';
import { WidgetView, type ViewActions } from './widget.view';
import { demoConfig } from '../test-support/fake-chat-backend';

function setup(locale: 'en' | 'fr' = 'en') {
  const host = document.createElement('div');
  document.body.appendChild(host);
  const root = host.attachShadow({ mode: 'open' });
  const calls: { start: Record<string, string>[]; send: string[]; end: number; toggled: boolean[]; typing: number; rate: [number, string][]; restart: number } = {
    start: [],
    send: [],
    end: 0,
    toggled: [],
    typing: 0,
    rate: [],
    restart: 0,
  };
  const actions: ViewActions = {
    start: (a) => calls.start.push(a),
    send: (t) => {
      if (!t.trim()) return false;
      calls.send.push(t);
      return true;
    },
    end: () => calls.end++,
    restart: () => calls.restart++,
    toggled: (open) => calls.toggled.push(open),
    typing: () => calls.typing++,
    rate: (rating, comment) => calls.rate.push([rating, comment]),
  };
  const view = new WidgetView(root, resolveStrings(locale), locale === 'fr' ? 'fr-FR' : 'en-GB', actions);
  const $ = <T extends Element = HTMLElement>(selector: string) => root.querySelector(selector) as T;
  return { host, root, view, calls, $ };
}

const base: SessionState = { phase: 'prechat', connection: 'online', messages: [], pending: [], formProblems: {}, config: demoConfig };

const msg = (sequence: number, authorKind: PublicMessage['authorKind'], body: string, extra: Partial<PublicMessage> = {}): PublicMessage => ({
  sequence,
  authorKind,
  body,
  createdOn: '2026-11-24T10:00:00Z',
  ...extra,
});

afterEach(() => {
  document.body.replaceChildren();
});

describe('widget view', () => {
  it('a message containing markup is shown literally and creates no element', () => {
    const { view, root, $ } = setup();
    const evil = '<img src=x onerror=alert(1)>';
    view.render({ ...base, phase: 'chatting', messages: [msg(1, 'agent', evil, { authorName: '<b>Sam</b>' })] });
    expect($('.msg.agent .text').textContent).toBe(evil);
    expect($('.msg.agent .who').textContent).toContain('<b>Sam</b>');
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    expect(document.querySelector('img')).toBeNull();
  });

  it('pre-chat questions get labelled fields of the right type, with optional ones marked', () => {
    const { view, root } = setup();
    view.render(base);
    const fields = Array.from(root.querySelectorAll('.field'));
    expect(fields).toHaveLength(4);
    for (const field of fields) {
      const control = field.querySelector('input,select')!;
      const label = field.querySelector('label')!;
      expect(label.getAttribute('for')).toBe(control.id);
    }
    expect((root.querySelector('input[name=email]') as HTMLInputElement).type).toBe('email');
    expect((root.querySelector('input[name=phone]') as HTMLInputElement).type).toBe('tel');
    expect(root.querySelector('select[name=topic]')!.querySelectorAll('option')).toHaveLength(4);
    expect(root.querySelector('input[name=phone]')!.closest('.field')!.textContent).toContain('(optional)');
    expect(root.querySelector('input[name=name]')!.getAttribute('aria-required')).toBe('true');
  });

  it('validation problems show next to their field, mark it invalid and take the focus', () => {
    const { view, root, calls, $ } = setup();
    view.setOpen(true, true);
    view.render(base);
    const form = $<HTMLFormElement>('form.pre');
    // The session answers a start with problems synchronously; simulate that.
    form.addEventListener('submit', () => view.render({ ...base, formProblems: { name: 'required', email: 'invalidEmail' } }), {
      capture: true,
    });
    $<HTMLButtonElement>('form.pre button[type=submit]').click();
    expect(calls.start).toHaveLength(1);
    const name = $<HTMLInputElement>('input[name=name]');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(root.getElementById(`${name.id}-err`)!.textContent).toBe('This field is required.');
    expect(name.getAttribute('aria-describedby')).toContain(`${name.id}-err`);
    expect($('.summary').textContent).toBe('Some answers need your attention.');
    expect(root.activeElement).toBe(name);
  });

  it('once the chat starts the focus moves from the survey to the compose box', () => {
    const { view, root, $ } = setup();
    view.setOpen(true, true);
    view.render(base);
    $<HTMLInputElement>('input[name=name]').focus();
    view.render({ ...base, phase: 'starting' });
    view.render({ ...base, phase: 'chatting', status: 'waiting' });
    expect(root.activeElement).toBe($('textarea'));
    expect($<HTMLTextAreaElement>('textarea').maxLength).toBe(demoConfig.maxMessageLength);
  });

  it('answers typed in the form are handed to start by question id', () => {
    const { view, calls, $ } = setup();
    view.render(base);
    $<HTMLInputElement>('input[name=name]').value = 'Ada';
    $<HTMLInputElement>('input[name=email]').value = 'ada@example.com';
    $<HTMLSelectElement>('select[name=topic]').value = 'returns';
    $<HTMLButtonElement>('form.pre button[type=submit]').click();
    expect(calls.start[0]).toEqual({ name: 'Ada', email: 'ada@example.com', phone: '', topic: 'returns' });
  });

  it('Enter sends, Shift+Enter and IME composition do not', () => {
    const { view, calls, $ } = setup();
    view.render({ ...base, phase: 'chatting' });
    const box = $<HTMLTextAreaElement>('textarea');
    box.value = 'hello\nthere';
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true, cancelable: true }));
    expect(calls.send).toEqual([]);
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
    expect(calls.send).toEqual([]);
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    box.dispatchEvent(enter);
    expect(enter.defaultPrevented).toBe(true);
    expect(calls.send).toEqual(['hello\nthere']);
    expect(box.value).toBe('');
  });

  it('the launcher opens the dialog, Escape closes it and gives focus back to the launcher', () => {
    const { view, root, calls, $ } = setup();
    view.render({ ...base, phase: 'chatting' });
    const launcher = $<HTMLButtonElement>('.launcher');
    const panel = $('[role=dialog]');
    expect(panel.hidden).toBe(true);
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    expect(launcher.getAttribute('aria-controls')).toBe(panel.id);
    launcher.click();
    expect(panel.hidden).toBe(false);
    expect(launcher.getAttribute('aria-expanded')).toBe('true');
    expect(root.activeElement).toBe($('textarea'));
    $('textarea').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(panel.hidden).toBe(true);
    expect(root.activeElement).toBe(launcher);
    expect(calls.toggled).toEqual([true, false]);
    expect(panel.getAttribute('aria-labelledby')).toBe($('h2').id);
  });

  it('messages arriving after the chat is shown are announced politely; earlier history is not', () => {
    const { view, $ } = setup();
    const history = [msg(1, 'system', 'You are in the queue.'), msg(2, 'agent', 'Earlier reply', { authorName: 'Sam' })];
    view.render({ ...base, phase: 'chatting', messages: history });
    const live = $('.sr[aria-live=polite]');
    expect(live.textContent).toBe('');
    view.render({ ...base, phase: 'chatting', messages: [...history, msg(3, 'agent', 'Anything else?', { authorName: 'Sam' }), msg(4, 'customer', 'No')] });
    expect(live.textContent).toBe('Sam says: Anything else?');
    expect($('ol[role=log]').getAttribute('aria-label')).toBe('Conversation');
  });

  it('agent messages arriving while the panel is minimised are counted on the launcher until it is opened', () => {
    const { view, $ } = setup();
    const history = [msg(1, 'system', 'You are in the queue.')];
    view.render({ ...base, phase: 'chatting', messages: history });
    view.render({ ...base, phase: 'chatting', messages: [...history, msg(2, 'agent', 'Hello'), msg(3, 'customer', 'Hi'), msg(4, 'agent', 'How can I help?')] });
    expect($('.badge').hidden).toBe(false);
    expect($('.badge').textContent).toBe('2');
    expect($('.launcher').getAttribute('aria-label')).toBe('Chat with us (2 new)');
    $<HTMLButtonElement>('.launcher').click();
    expect($('.badge').hidden).toBe(true);
    expect($('.launcher').getAttribute('aria-label')).toBe('Close chat');
  });

  it('a pending message keeps its row when the server confirms it, and shows its delivery state meanwhile', () => {
    const { view, root } = setup();
    const pending = { clientMessageId: 'm1', body: 'hi', createdOn: '2026-11-24T10:00:00Z', state: 'waiting' as const, attempts: 1 };
    view.render({ ...base, phase: 'chatting', pending: [pending] });
    const row = root.querySelector('.msg.customer')!;
    expect(row.querySelector('.state')!.textContent).toBe('Not sent yet — will retry');
    view.render({ ...base, phase: 'chatting', messages: [msg(1, 'customer', 'hi', { clientMessageId: 'm1' })], pending: [] });
    expect(root.querySelectorAll('.msg.customer')).toHaveLength(1);
    expect(root.querySelector('.msg.customer')).toBe(row);
    expect(row.querySelector('.state')!.textContent).toBe('');
  });

  it('outside operating hours the closed notice and the next opening are shown, in French for a French browser', () => {
    const { view, $ } = setup('fr');
    view.render({ ...base, phase: 'closed', config: { ...demoConfig, hours: { open: false, nextOpenOn: '2026-11-25T08:00:00Z' } } });
    expect($('.closed h3').textContent).toBe('Nous sommes fermés');
    expect($('.closed .next').textContent).toMatch(/^Réouverture .*novembre/);
    expect($('.launcher').getAttribute('aria-label')).toBe('Discuter avec nous');
  });

  it('an admin closed message replaces the default text', () => {
    const { view, $ } = setup();
    view.render({ ...base, phase: 'closed', config: { ...demoConfig, hours: { open: false, closedMessage: 'Back on Monday.' } } });
    expect($('.closed').textContent).toContain('Back on Monday.');
  });

  it('while no agent has joined a waiting note is shown, and it goes once an agent is there', () => {
    const { view, $ } = setup();
    view.render({ ...base, phase: 'chatting', status: 'waiting' });
    expect($('.waiting').hidden).toBe(false);
    expect($('.waiting').textContent).toBe('Thanks! An agent will join shortly.');
    view.render({ ...base, phase: 'chatting', status: 'active' });
    expect($('.waiting').hidden).toBe(true);
  });

  it('the connection banner tells the customer when messages are waiting for the network', () => {
    const { view, $ } = setup();
    view.render({ ...base, phase: 'chatting', connection: 'offline' });
    expect($('.banner').textContent).toContain('offline');
    view.render({ ...base, phase: 'chatting', connection: 'online' });
    expect($('.banner').textContent).toBe('');
  });

  it('an agent typing shows above the composer in a polite live region, with their name when known, and goes when it stops', () => {
    const { view, $ } = setup();
    view.render({ ...base, phase: 'chatting' });
    const note = $('.typing');
    expect(note.getAttribute('aria-live')).toBe('polite');
    expect(note.nextElementSibling).toBe($('form.compose'));
    expect(note.textContent).toBe('');
    view.render({ ...base, phase: 'chatting', agentTyping: {} });
    expect(note.textContent).toBe('Agent is typing…');
    view.render({ ...base, phase: 'chatting', agentTyping: { name: '<b>Sam</b>' } });
    expect(note.textContent).toBe('<b>Sam</b> is typing…');
    expect(note.querySelector('b')).toBeNull();
    view.render({ ...base, phase: 'chatting' });
    expect(note.textContent).toBe('');
    view.render({ ...base, phase: 'ended', agentTyping: { name: 'Sam' } });
    expect(note.textContent).toBe('');
  });

  it('the typing indicator is in French for a French browser', () => {
    const { view, $ } = setup('fr');
    view.render({ ...base, phase: 'chatting', agentTyping: {} });
    expect($('.typing').textContent).toBe("L'agent écrit…");
    view.render({ ...base, phase: 'chatting', agentTyping: { name: 'Sam' } });
    expect($('.typing').textContent).toBe('Sam écrit…');
  });

  it('typing in the composer tells the session, but clearing it does not', () => {
    const { view, calls, $ } = setup();
    view.render({ ...base, phase: 'chatting' });
    const box = $<HTMLTextAreaElement>('textarea');
    box.value = 'H';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    box.value = 'Hi';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    box.value = '';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    expect(calls.typing).toBe(2);
  });

  it('ending asks for confirmation with a second press', () => {
    const { view, calls, $ } = setup();
    view.render({ ...base, phase: 'chatting' });
    const end = $<HTMLButtonElement>('header .end');
    end.click();
    expect(calls.end).toBe(0);
    expect(end.textContent).toBe('End this chat?');
    end.click();
    expect(calls.end).toBe(1);
    view.render({ ...base, phase: 'ended', messages: [msg(1, 'system', 'bye')] });
    expect($('.end-note').hidden).toBe(false);
    expect($('.end-note').textContent).toContain('This chat has ended');
    expect($('form.compose').hidden).toBe(true);
  });
});

describe('post-chat survey in the view', () => {
  const ended: SessionState = { ...base, phase: 'ended', status: 'ended', messages: [msg(1, 'agent', 'Anything else?', { authorName: 'Sam' })], survey: { step: 'asking' } };

  it('after the end the survey is a named group of five labelled radios and an optional comment, and the question takes the focus', () => {
    const { view, root, $ } = setup();
    view.setOpen(true);
    view.render({ ...ended, phase: 'chatting', survey: undefined });
    (root.querySelector('textarea') as HTMLTextAreaElement).focus();
    view.render(ended);
    const group = $('form.rate fieldset');
    expect(group.querySelector('legend')!.textContent).toBe('How would you rate our help?');
    const radios = Array.from(group.querySelectorAll('input[type=radio]')) as HTMLInputElement[];
    expect(radios.map((r) => [r.name, r.value, r.getAttribute('aria-label')])).toEqual([
      ['rating', '1', '1 – Very poor'],
      ['rating', '2', '2 – Poor'],
      ['rating', '3', '3 – Fair'],
      ['rating', '4', '4 – Good'],
      ['rating', '5', '5 – Excellent'],
    ]);
    const comment = $<HTMLTextAreaElement>('form.rate textarea');
    expect(root.querySelector(`label[for="${comment.id}"]`)!.textContent).toBe('Anything you would like to add? (optional)');
    expect(comment.maxLength).toBe(1000);
    expect(root.activeElement).toBe(radios[0]);
  });

  it('sending hands the chosen rating and the comment to the session; without a rating it says what is missing and sends nothing', () => {
    const { view, root, calls, $ } = setup();
    view.setOpen(true);
    view.render(ended);
    const form = $<HTMLFormElement>('form.rate');
    form.requestSubmit();
    expect(calls.rate).toEqual([]);
    expect($('form.rate .err').textContent).toBe('Choose a rating from 1 to 5.');
    expect(root.activeElement).toBe(root.querySelector('input[name=rating]'));
    $<HTMLInputElement>('input[name=rating][value="4"]').click();
    $<HTMLTextAreaElement>('form.rate textarea').value = 'Quick and kind.';
    form.requestSubmit();
    expect(calls.rate).toEqual([[4, 'Quick and kind.']]);
    expect($('form.rate .err').textContent).toBe('');
  });

  it('while sending the button says so; a failure says it can be tried again; then the customer is thanked and the focus goes to a new chat', () => {
    const { view, root, $ } = setup();
    view.setOpen(true);
    view.render(ended);
    $<HTMLInputElement>('input[name=rating][value="5"]').click();
    $<HTMLButtonElement>('form.rate button').focus();
    view.render({ ...ended, survey: { step: 'sending' } });
    expect($('form.rate button').textContent).toBe('Sending…');
    expect($('form.rate button').getAttribute('aria-disabled')).toBe('true');
    view.render({ ...ended, survey: { step: 'failed' } });
    expect($('form.rate .err').textContent).toBe('Your rating could not be sent. Try again.');
    expect($<HTMLInputElement>('input[name=rating][value="5"]').checked).toBe(true);
    view.render({ ...ended, survey: { step: 'thanks' } });
    expect(root.querySelector('form.rate')).toBeNull();
    expect($('.rated').textContent).toBe('Thank you for your feedback!');
    expect($('.rated').getAttribute('role')).toBe('status');
    expect(root.activeElement!.textContent).toBe('Start a new chat');
  });

  it('the survey is in French for a French browser, with the admin question when there is one', () => {
    const { view, $, root } = setup('fr');
    view.render({ ...ended, survey: { step: 'asking', question: 'Notre aide vous a-t-elle plu ?' } });
    expect($('form.rate legend').textContent).toBe('Notre aide vous a-t-elle plu ?');
    expect(Array.from(root.querySelectorAll('input[name=rating]')).map((r) => r.getAttribute('aria-label'))).toEqual(['1 – Très mauvaise', '2 – Mauvaise', '3 – Correcte', '4 – Bonne', '5 – Excellente']);
    expect($('form.rate button').textContent).toBe('Envoyer ma note');
  });

  it('without a survey the end shows no form', () => {
    const { view, root } = setup();
    view.render({ ...ended, survey: undefined });
    expect(root.querySelector('form.rate')).toBeNull();
    expect(root.querySelector('.end-note button')!.textContent).toBe('Start a new chat');
  });
});
