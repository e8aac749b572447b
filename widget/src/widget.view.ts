import type { SessionState } from './chat-session';
import type { PendingMessage } from './conversation-store';
import type { PreChatQuestion, PublicMessage, WidgetStrings } from './contract';
import { announcementOf, format } from './locale';
import { problemText } from './prechat-validation';
import { widgetCss } from './widget.styles';

export interface ViewActions {
  start(answers: Record<string, string>): void;
  send(text: string): boolean;
  end(): void;
  restart(): void;
  /** The panel was opened or closed by the customer (persisted across navigations). */
  toggled(open: boolean): void;
  /** The customer typed in the composer (the session throttles what it tells the agents). */
  typing?(): void;
  /** The customer answered the post-chat survey. */
  rate?(rating: number, comment: string): void;
}

type Screen = 'loading' | 'load_failed' | 'closed' | 'prechat' | 'chat';

type Attrs = Record<string, string | boolean | undefined>;

// Every piece of text goes in through textContent or an attribute value:
// message bodies, names, admin-authored labels. No innerHTML anywhere, so a
// message can never become markup in the customer's page.
function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  attrs: Attrs = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

const svgNs = 'http://www.w3.org/2000/svg';

function icon(doc: Document, d: string): SVGSVGElement {
  const svg = doc.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = doc.createElementNS(svgNs, 'path');
  path.setAttribute('d', d);
  svg.appendChild(path);
  return svg;
}

const chatIcon = 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2zm3 6v2h10V9zm0 4v2h7v-2z';
const closeIcon = 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z';

export class WidgetView {
  private readonly doc: Document;
  private readonly panel: HTMLDivElement;
  private readonly launcher: HTMLButtonElement;
  private readonly title: HTMLHeadingElement;
  private readonly endButton: HTMLButtonElement;
  private readonly banner: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly announcer: HTMLDivElement;
  private readonly typingNote: HTMLDivElement;
  private readonly compose: HTMLFormElement;
  private readonly textarea: HTMLTextAreaElement;
  private screen?: Screen;
  private state?: SessionState;
  private log?: HTMLOListElement;
  private endNote?: HTMLDivElement;
  private waitingNote?: HTMLParagraphElement;
  private surveyBox?: HTMLDivElement;
  private again?: HTMLButtonElement;
  private surveyStep?: string;
  private readonly items = new Map<string, HTMLLIElement>();
  private form?: { root: HTMLFormElement; summary: HTMLDivElement; submit: HTMLButtonElement; questions: readonly PreChatQuestion[] };
  private announcedUpTo = -1;
  private unread = 0;
  private readonly badge: HTMLSpanElement;
  private confirmingEnd = false;
  private isOpen = false;
  private readonly idPrefix: string;

  constructor(
    private readonly root: ShadowRoot,
    private strings: WidgetStrings,
    private readonly locale: string,
    private readonly actions: ViewActions,
    accent = '#0f6cbd',
  ) {
    this.doc = root.ownerDocument;
    this.idPrefix = `swb${Math.random().toString(36).slice(2, 8)}`;
    const style = el(this.doc, 'style', {}, widgetCss(safeColour(accent)));
    const shell = el(this.doc, 'div', { class: 'swb', lang: locale });
    this.panel = el(this.doc, 'div', {
      class: 'panel',
      id: `${this.idPrefix}-panel`,
      role: 'dialog',
      'aria-modal': 'false',
      'aria-labelledby': `${this.idPrefix}-title`,
      hidden: true,
    });
    const header = el(this.doc, 'header');
    this.title = el(this.doc, 'h2', { id: `${this.idPrefix}-title` });
    this.endButton = el(this.doc, 'button', { type: 'button', class: 'end', hidden: true });
    const minimise = el(this.doc, 'button', { type: 'button', class: 'x' });
    minimise.appendChild(icon(this.doc, closeIcon));
    minimise.querySelector('svg')!.setAttribute('width', '18');
    minimise.querySelector('svg')!.setAttribute('height', '18');
    minimise.querySelector('svg')!.setAttribute('fill', 'currentColor');
    header.append(this.title, this.endButton, minimise);
    this.banner = el(this.doc, 'div', { class: 'banner', role: 'status' });
    this.body = el(this.doc, 'div', { class: 'body' });
    this.announcer = el(this.doc, 'div', { class: 'sr', 'aria-live': 'polite', 'aria-atomic': 'false' });
    // Always in the tree (empty when nobody types) so screen readers know the live region before it speaks.
    this.typingNote = el(this.doc, 'div', { class: 'typing', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.compose = el(this.doc, 'form', { class: 'compose', hidden: true });
    const composeId = `${this.idPrefix}-compose`;
    this.textarea = el(this.doc, 'textarea', { id: composeId, rows: '1' });
    this.textarea.setAttribute('aria-describedby', `${composeId}-hint`);
    const composeLabel = el(this.doc, 'label', { for: composeId, class: 'sr' });
    const composeHint = el(this.doc, 'span', { id: `${composeId}-hint`, class: 'sr hint-compose' });
    const sendButton = el(this.doc, 'button', { type: 'submit', class: 'primary send' });
    this.compose.append(composeLabel, composeHint, this.textarea, sendButton);
    this.panel.append(header, this.banner, this.body, this.typingNote, this.compose, this.announcer);
    this.launcher = el(this.doc, 'button', {
      type: 'button',
      class: 'launcher',
      'aria-expanded': 'false',
      'aria-controls': this.panel.id,
    });
    this.launcher.appendChild(icon(this.doc, chatIcon));
    // Outside the launcher: the launcher's aria-label already says the count.
    this.badge = el(this.doc, 'span', { class: 'badge', 'aria-hidden': 'true', hidden: true });
    const launcherWrap = el(this.doc, 'div', { class: 'launch' });
    launcherWrap.append(this.launcher, this.badge);
    shell.append(this.panel, launcherWrap);
    root.append(style, shell);

    this.launcher.addEventListener('click', () => this.setOpen(!this.isOpen, true));
    minimise.addEventListener('click', () => this.setOpen(false, true));
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        this.setOpen(false, true);
      }
    });
    this.endButton.addEventListener('click', () => {
      if (!this.confirmingEnd) {
        this.confirmingEnd = true;
        this.applyStrings();
        return;
      }
      this.confirmingEnd = false;
      this.actions.end();
    });
    this.endButton.addEventListener('blur', () => {
      if (this.confirmingEnd) {
        this.confirmingEnd = false;
        this.applyStrings();
      }
    });
    this.compose.addEventListener('submit', (event) => {
      event.preventDefault();
      this.sendTyped();
    });
    // Grow with the text up to the CSS max-height, then scroll.
    this.textarea.addEventListener('input', () => {
      this.fitTextarea();
      if (this.textarea.value.trim()) this.actions.typing?.();
    });
    this.textarea.addEventListener('keydown', (event) => {
      // isComposing: Enter that confirms an IME candidate (Japanese, Chinese…) must not send.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.sendTyped();
      }
    });
    this.applyStrings();
  }

  setAccent(colour: string | undefined): void {
    if (colour) (this.panel.parentElement as HTMLElement).style.setProperty('--accent', safeColour(colour));
  }

  get opened(): boolean {
    return this.isOpen;
  }

  setStrings(strings: WidgetStrings): void {
    this.strings = strings;
    this.applyStrings();
    if (this.state) {
      // Labels inside the body come from the strings too: rebuild that part.
      this.screen = undefined;
      this.render(this.state);
    }
  }

  setOpen(open: boolean, byUser = false): void {
    if (open === this.isOpen) return;
    this.isOpen = open;
    this.panel.hidden = !open;
    if (open) this.unread = 0;
    this.launcher.setAttribute('aria-expanded', String(open));
    this.launcher.replaceChildren(icon(this.doc, open ? closeIcon : chatIcon));
    this.applyStrings();
    if (byUser) this.actions.toggled(open);
    // Only a customer's own action moves focus: reopening the panel on a new
    // page must not steal the keyboard from the page being read.
    if (byUser && open) this.focusInside();
    else if (byUser) this.launcher.focus();
  }

  render(state: SessionState): void {
    const previous = this.state;
    this.state = state;
    const screen: Screen =
      state.phase === 'chatting' || state.phase === 'ended' || state.phase === 'expired'
        ? 'chat'
        : state.phase === 'starting'
          ? 'prechat'
          : state.phase;
    // Visibility first: focusing the compose box below needs it shown already.
    this.endButton.hidden = state.phase !== 'chatting';
    this.compose.hidden = state.phase !== 'chatting';
    this.textarea.maxLength = state.config?.maxMessageLength ?? 4000;
    if (screen !== this.screen) {
      const focusWasInBody = this.body.contains(this.root.activeElement);
      this.buildScreen(screen, state);
      this.screen = screen;
      // Short notices get a short panel; survey and chat keep the tall one.
      this.panel.classList.toggle('compact', screen !== 'chat' && screen !== 'prechat');
      if (this.isOpen && (focusWasInBody || previous?.phase === 'starting')) this.focusInside();
    }
    if (screen === 'prechat') this.updateForm(state);
    if (screen === 'chat') this.updateTranscript(state);
    this.updateTyping(state);
    this.banner.textContent =
      state.connection === 'offline'
        ? this.strings.offline
        : state.connection === 'reconnecting' && (state.phase === 'chatting' || state.phase === 'load_failed')
          ? this.strings.reconnecting
          : '';
  }

  private updateTyping(state: SessionState): void {
    const who = state.phase === 'chatting' ? state.agentTyping : undefined;
    const text = !who ? '' : who.name ? format(this.strings.agentTypingNamed, { name: who.name }) : this.strings.agentTyping;
    // Only a change is written: rewriting the same text would make the live region speak again.
    if (this.typingNote.textContent !== text) this.typingNote.textContent = text;
  }

  private applyStrings(): void {
    const s = this.strings;
    this.title.textContent = s.title;
    const label = this.isOpen ? s.launcherClose : s.launcherOpen;
    const count = format(s.unread, { count: String(this.unread) });
    this.launcher.setAttribute('aria-label', this.unread > 0 ? `${label} (${count})` : label);
    this.launcher.title = label;
    this.badge.textContent = String(this.unread);
    this.badge.hidden = this.unread === 0;
    const minimise = this.panel.querySelector('header .x') as HTMLButtonElement;
    minimise.setAttribute('aria-label', s.close);
    minimise.title = s.close;
    this.endButton.textContent = this.confirmingEnd ? s.endChatConfirm : s.endChat;
    (this.compose.querySelector('label') as HTMLLabelElement).textContent = s.composeLabel;
    this.textarea.placeholder = s.composePlaceholder;
    (this.compose.querySelector('.hint-compose') as HTMLElement).textContent = s.composeHint;
    (this.compose.querySelector('.send') as HTMLButtonElement).textContent = s.send;
  }

  private sendTyped(): void {
    if (this.actions.send(this.textarea.value)) {
      this.textarea.value = '';
      this.fitTextarea();
    }
    this.textarea.focus();
  }

  private fitTextarea(): void {
    this.textarea.style.height = 'auto';
    if (this.textarea.scrollHeight > 0) this.textarea.style.height = `${this.textarea.scrollHeight + 2}px`;
  }

  private focusInside(): void {
    const target =
      (this.screen === 'chat' && !this.compose.hidden && this.textarea) ||
      (this.form && (this.form.root.querySelector('[aria-invalid=true]') as HTMLElement | null)) ||
      (this.body.querySelector('input,select,textarea,button') as HTMLElement | null) ||
      (this.panel.querySelector('header .x') as HTMLElement);
    target.focus();
  }

  private buildScreen(screen: Screen, state: SessionState): void {
    const s = this.strings;
    this.form = undefined;
    this.log = undefined;
    this.endNote = undefined;
    this.waitingNote = undefined;
    this.surveyBox = undefined;
    this.again = undefined;
    this.surveyStep = undefined;
    this.items.clear();
    this.body.replaceChildren();
    this.body.className = screen === 'chat' ? 'body chat' : 'body';
    if (screen === 'loading') {
      this.body.append(el(this.doc, 'p', { class: 'intro', 'aria-busy': 'true' }, '…'));
    } else if (screen === 'load_failed') {
      const note = el(this.doc, 'div', { class: 'notice' });
      const retry = el(this.doc, 'button', { type: 'button', class: 'primary' }, s.retry);
      retry.addEventListener('click', () => this.actions.restart());
      note.append(el(this.doc, 'p', {}, s.loadFailed), retry);
      this.body.append(note);
    } else if (screen === 'closed') {
      const hours = state.config?.hours;
      const note = el(this.doc, 'div', { class: 'notice closed' });
      note.append(el(this.doc, 'h3', {}, s.closedTitle), el(this.doc, 'p', {}, hours?.closedMessage || s.closedMessage));
      const when = hours?.nextOpenOn ? this.formatWhen(hours.nextOpenOn) : undefined;
      if (when) note.append(el(this.doc, 'p', { class: 'next' }, format(s.nextOpen, { when })));
      this.body.append(note);
    } else if (screen === 'prechat') {
      this.buildForm(state);
    } else {
      this.log = el(this.doc, 'ol', { class: 'log', role: 'log', 'aria-live': 'off', 'aria-label': s.transcriptLabel });
      this.endNote = el(this.doc, 'div', { class: 'end-note', hidden: true });
      this.waitingNote = el(this.doc, 'p', { class: 'waiting', role: 'status', hidden: true }, s.waitingForAgent);
      this.body.append(this.log, this.waitingNote, this.endNote);
      // Whatever is on screen when the chat view appears (e.g. after a page
      // navigation) is history, not news: only later arrivals are announced.
      this.announcedUpTo = Number.POSITIVE_INFINITY;
    }
  }

  private buildForm(state: SessionState): void {
    const s = this.strings;
    const questions = state.config?.preChatQuestions ?? [];
    const form = el(this.doc, 'form', { class: 'pre', novalidate: true });
    form.append(el(this.doc, 'p', { class: 'intro' }, s.preChatIntro));
    const summary = el(this.doc, 'div', { class: 'summary', role: 'alert' });
    for (const q of questions) {
      const id = `${this.idPrefix}-q-${q.id.replace(/[^\w-]/g, '_')}`;
      const field = el(this.doc, 'div', { class: 'field' });
      const label = el(this.doc, 'label', { for: id }, q.label);
      if (!q.required) label.append(' ', el(this.doc, 'span', { class: 'opt' }, `(${s.optional})`));
      const describedBy = [`${id}-err`, q.hint ? `${id}-hint` : undefined].filter(Boolean).join(' ');
      let control: HTMLInputElement | HTMLSelectElement;
      if (q.kind === 'choice') {
        control = el(this.doc, 'select', { id, name: q.id, required: q.required, 'aria-required': String(q.required), 'aria-describedby': describedBy });
        control.append(el(this.doc, 'option', { value: '' }, s.choose));
        for (const c of q.choices ?? []) control.append(el(this.doc, 'option', { value: c.value }, c.label));
      } else {
        const type = q.kind === 'email' ? 'email' : q.kind === 'phone' ? 'tel' : 'text';
        const autocomplete = q.kind === 'email' ? 'email' : q.kind === 'phone' ? 'tel' : /name/i.test(q.id) ? 'name' : 'off';
        control = el(this.doc, 'input', {
          id,
          name: q.id,
          type,
          autocomplete,
          required: q.required,
          'aria-required': String(q.required),
          'aria-describedby': describedBy,
          maxlength: String(q.maxLength ?? 200),
        });
      }
      field.append(label, control);
      if (q.hint) field.append(el(this.doc, 'div', { class: 'hint', id: `${id}-hint` }, q.hint));
      field.append(el(this.doc, 'div', { class: 'err', id: `${id}-err` }));
      form.append(field);
    }
    const submit = el(this.doc, 'button', { type: 'submit', class: 'primary' }, s.startChat);
    form.append(summary, submit);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const answers: Record<string, string> = {};
      for (const q of questions) {
        const control = form.elements.namedItem(q.id) as HTMLInputElement | HTMLSelectElement | null;
        answers[q.id] = control?.value ?? '';
      }
      this.actions.start(answers);
      // Validation is synchronous: move focus to the first field to fix.
      const invalid = form.querySelector('[aria-invalid=true]') as HTMLElement | null;
      invalid?.focus();
    });
    this.form = { root: form, summary, submit, questions };
    this.body.append(form);
  }

  private updateForm(state: SessionState): void {
    const form = this.form;
    if (!form) return;
    const s = this.strings;
    const busy = state.phase === 'starting';
    form.submit.disabled = busy;
    form.submit.textContent = busy ? s.starting : s.startChat;
    form.root.setAttribute('aria-busy', String(busy));
    let anyProblem = false;
    for (const q of form.questions) {
      const control = form.root.elements.namedItem(q.id) as HTMLElement | null;
      const problem = state.formProblems[q.id];
      const err = control?.id ? (form.root.querySelector(`#${control.id}-err`) as HTMLElement | null) : null;
      if (problem) anyProblem = true;
      control?.setAttribute('aria-invalid', String(Boolean(problem)));
      if (err) err.textContent = problem ? problemText(problem, s) : '';
    }
    form.summary.textContent = anyProblem
      ? s.formHasErrors
      : state.startError && state.startError !== 'outside_hours'
        ? s.startFailed
        : '';
  }

  private updateTranscript(state: SessionState): void {
    const log = this.log;
    if (!log || !this.endNote) return;
    const s = this.strings;
    const delivered = new Set(state.messages.map((m) => m.clientMessageId).filter(Boolean));
    const rows: { key: string; message?: PublicMessage; pending?: PendingMessage }[] = [
      ...state.messages.map((m) => ({ key: m.clientMessageId ? `c:${m.clientMessageId}` : `s:${m.sequence}`, message: m })),
      ...state.pending.filter((p) => !delivered.has(p.clientMessageId)).map((p) => ({ key: `c:${p.clientMessageId}`, pending: p })),
    ];
    const wanted = new Set(rows.map((r) => r.key));
    for (const [key, item] of this.items) {
      if (!wanted.has(key)) {
        item.remove();
        this.items.delete(key);
      }
    }
    const firstFill = this.announcedUpTo === Number.POSITIVE_INFINITY;
    const nearBottom = this.body.scrollHeight - this.body.scrollTop - this.body.clientHeight < 80;
    let added = false;
    rows.forEach((row, index) => {
      let item = this.items.get(row.key);
      if (!item) {
        item = this.messageItem(row.message, row.pending);
        this.items.set(row.key, item);
        added = true;
      } else {
        this.updateItem(item, row.message, row.pending);
      }
      if (log.children[index] !== item) log.insertBefore(item, log.children[index] ?? null);
    });
    // Announce agent, bot and system messages that arrived after the view was shown.
    const newest = state.messages.length ? state.messages[state.messages.length - 1].sequence : 0;
    if (!firstFill) {
      for (const m of state.messages) {
        if (m.sequence > this.announcedUpTo && m.authorKind !== 'customer') {
          if (!this.isOpen) this.unread++;
          this.announcer.append(el(this.doc, 'p', {}, announcementOf(m, s)));
        }
      }
      while (this.announcer.childElementCount > 5) this.announcer.firstElementChild?.remove();
      if (this.unread > 0) this.applyStrings();
    }
    if (state.messages.length || !firstFill) this.announcedUpTo = Math.max(firstFill ? 0 : this.announcedUpTo, newest);
    if (added && (nearBottom || firstFill)) this.body.scrollTop = this.body.scrollHeight;

    if (this.waitingNote) this.waitingNote.hidden = !(state.phase === 'chatting' && state.status === 'waiting');
    const finished = state.phase === 'ended' || state.phase === 'expired';
    this.endNote.hidden = !finished;
    if (finished && !this.endNote.firstChild) {
      const again = el(this.doc, 'button', { type: 'button', class: 'primary' }, s.newChat);
      again.addEventListener('click', () => this.actions.restart());
      this.again = again;
      this.surveyBox = el(this.doc, 'div', { class: 'survey' });
      this.endNote.append(el(this.doc, 'p', { role: 'status' }, state.phase === 'ended' ? s.ended : s.expired), this.surveyBox, again);
      this.updateSurvey(state);
      if (this.isOpen && (!this.root.activeElement || this.compose.contains(this.root.activeElement) || this.root.activeElement === this.endButton)) {
        // The question first, when there is one: the customer is asked, then may start again.
        ((this.surveyBox.querySelector('input') as HTMLElement | null) ?? again).focus();
      }
      this.body.scrollTop = this.body.scrollHeight;
    } else if (finished) {
      this.updateSurvey(state);
    }
  }

  /** The post-chat survey in the end note: a 1–5 radio group and a comment, then thanks. */
  private updateSurvey(state: SessionState): void {
    const box = this.surveyBox;
    const survey = state.survey;
    const step = survey?.step;
    if (!box || step === this.surveyStep) return;
    const s = this.strings;
    const before = this.surveyStep;
    this.surveyStep = step;
    const form = box.querySelector('form');
    const focusWasIn = box.contains(this.root.activeElement);
    if (!survey || step === 'thanks' || step === 'unavailable') {
      box.replaceChildren(...(survey ? [el(this.doc, 'p', { role: 'status', class: 'rated' }, step === 'thanks' ? s.rateThanks : s.rateUnavailable)] : []));
      // The form (and the button pressed) is gone: the next thing to do is a new chat.
      if (focusWasIn) this.again?.focus();
      return;
    }
    if (!form || before === undefined) box.replaceChildren(this.surveyForm(survey.question ?? s.rateQuestion));
    const current = box.querySelector('form') as HTMLFormElement;
    const submit = current.querySelector('button[type=submit]') as HTMLButtonElement;
    const busy = step === 'sending';
    // Not `disabled`: a disabled button drops the keyboard focus, which should move on to "new chat".
    submit.setAttribute('aria-disabled', String(busy));
    submit.textContent = busy ? s.sending : s.rateSend;
    current.setAttribute('aria-busy', String(busy));
    (current.querySelector('.err') as HTMLElement).textContent = step === 'failed' ? s.rateFailed : '';
  }

  private surveyForm(question: string): HTMLFormElement {
    const s = this.strings;
    const id = `${this.idPrefix}-rate`;
    const form = el(this.doc, 'form', { class: 'rate', novalidate: true });
    const group = el(this.doc, 'fieldset', { 'aria-describedby': `${id}-err` });
    const scale = el(this.doc, 'div', { class: 'scale' });
    const words = [s.rating1, s.rating2, s.rating3, s.rating4, s.rating5];
    words.forEach((word, i) => {
      const pick = el(this.doc, 'label');
      // Native radios: one Tab stop, arrow keys choose, and a screen reader hears "4 – Good, 4 of 5".
      pick.append(el(this.doc, 'input', { type: 'radio', name: 'rating', value: String(i + 1), 'aria-label': `${i + 1} – ${word}` }), el(this.doc, 'span', { 'aria-hidden': 'true' }, String(i + 1)));
      scale.append(pick);
    });
    const ends = el(this.doc, 'div', { class: 'ends', 'aria-hidden': 'true' });
    ends.append(el(this.doc, 'span', {}, s.rating1), el(this.doc, 'span', {}, s.rating5));
    group.append(el(this.doc, 'legend', {}, question), scale, ends);
    const comment = el(this.doc, 'label', { for: `${id}-comment`, class: 'c' }, s.rateComment);
    comment.append(' ', el(this.doc, 'span', { class: 'opt' }, `(${s.optional})`));
    const text = el(this.doc, 'textarea', { id: `${id}-comment`, name: 'comment', rows: '2', maxlength: '1000' });
    const err = el(this.doc, 'div', { class: 'err', id: `${id}-err`, role: 'alert' });
    const submit = el(this.doc, 'button', { type: 'submit', class: 'primary' }, s.rateSend);
    form.append(group, comment, text, err, submit);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = form.querySelector('input[name=rating]:checked') as HTMLInputElement | null;
      if (!chosen) {
        err.textContent = s.rateChoose;
        (form.querySelector('input[name=rating]') as HTMLElement).focus();
        return;
      }
      err.textContent = '';
      this.actions.rate?.(Number(chosen.value), text.value);
    });
    return form;
  }

  private authorLabel(m: PublicMessage): string {
    const s = this.strings;
    if (m.authorKind === 'customer') return s.you;
    if (m.authorKind === 'system') return s.system;
    return m.authorName || (m.authorKind === 'bot' ? s.bot : s.agent);
  }

  private messageItem(message?: PublicMessage, pending?: PendingMessage): HTMLLIElement {
    const kind = message?.authorKind ?? 'customer';
    const item = el(this.doc, 'li', { class: `msg ${kind}` });
    const who = el(this.doc, 'span', { class: 'who' });
    const text = el(this.doc, 'div', { class: 'text' }, message?.body ?? pending?.body ?? '');
    const state = el(this.doc, 'span', { class: 'state' });
    item.append(who, text, state);
    this.updateItem(item, message, pending);
    return item;
  }

  private updateItem(item: HTMLLIElement, message?: PublicMessage, pending?: PendingMessage): void {
    const s = this.strings;
    const [who, text, state] = Array.from(item.children) as HTMLElement[];
    const kind = message?.authorKind ?? 'customer';
    item.className = `msg ${kind}${pending ? ` pending ${pending.state}` : ''}`;
    const author = message ? this.authorLabel(message) : s.you;
    const time = message ? this.formatTime(message.createdOn) : '';
    who.textContent = kind === 'system' ? '' : time ? `${author} · ${time}` : author;
    const body = message?.body ?? pending?.body ?? '';
    if (text.textContent !== body) text.textContent = body;
    state.textContent = !pending
      ? ''
      : pending.state === 'rejected'
        ? s.notDelivered
        : pending.attempts > 0 && pending.state === 'waiting'
          ? s.notSent
          : s.sending;
    state.hidden = !pending;
  }

  private formatTime(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return '';
    try {
      return new Intl.DateTimeFormat(this.locale, { hour: '2-digit', minute: '2-digit' }).format(date);
    } catch {
      return '';
    }
  }

  private formatWhen(iso: string): string | undefined {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return undefined;
    try {
      return new Intl.DateTimeFormat(this.locale, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(date);
    } catch {
      return date.toISOString();
    }
  }
}

// The accent colour comes from the server into a stylesheet: accept only a
// hex colour so a config value can never inject CSS.
function safeColour(value: string): string {
  return /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(value) ? value : '#0f6cbd';
}
