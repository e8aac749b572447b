import * as path from 'node:path';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { createMockContext, dataverseError, fakePushPerTest, prop, type MockContext } from '../../shared/src/testing';
import { loadResx } from '../../shared/src/testing/load-resx';
import { ChannelType, ConversationState, IdentificationResult, Sentiment } from '../../shared/src';
import type { IInputs, IOutputs } from './generated/ManifestTypes';
import { ConversationSummary } from './index';

const CONV = 'aaaaaaaa-0000-4000-8000-000000000001';
const CONTACT = 'dddddddd-0000-4000-8000-000000000001';
const ACCOUNT = 'eeeeeeee-0000-4000-8000-000000000001';
const F = '@OData.Community.Display.V1.FormattedValue';

function setup(row: Record<string, unknown>, params: Partial<Record<keyof IInputs, unknown>> = {}, lang = 1033): MockContext<IInputs> {
  const mock = createMockContext<IInputs>({
    parameters: {
      anchor: prop('x'),
      conversationId: prop(CONV),
      showCustomer: prop(null, 'TwoOptions'),
      showRouting: prop(null, 'TwoOptions'),
      showPreChat: prop(null, 'TwoOptions'),
      showContext: prop(null, 'TwoOptions'),
      showSentiment: prop(null, 'TwoOptions'),
      showHistory: prop(null, 'TwoOptions'),
      historyCount: prop(5, 'Whole.None'),
      ...params,
    } as unknown as IInputs,
    strings: loadResx(path.join(__dirname, `strings/ConversationSummary.${lang}.resx`)),
    languageId: lang,
  });
  mock.webAPI.put('swb_conversation', {
    activityid: CONV,
    swb_state: ConversationState.Active,
    swb_channeltype: ChannelType.LiveChat,
    _swb_queueid_value: 'q1',
    [`_swb_queueid_value${F}`]: 'Billing',
    [`_swb_workstreamid_value${F}`]: 'Web chat',
    swb_queuedon: '2026-11-24T10:00:00Z',
    swb_firstassignedon: '2026-11-24T10:02:05Z',
    swb_prechatanswers: JSON.stringify({ 'Your name': 'Ana Ruiz', 'Order number': 'A-1042' }),
    swb_context: JSON.stringify({ page: '/checkout', cartValue: 129.5 }),
    swb_sentiment: Sentiment.SlightlyNegative,
    ...row,
  });
  return mock;
}

async function mount(mock: MockContext<IInputs>) {
  const control: ComponentFramework.ReactControl<IInputs, IOutputs> = new ConversationSummary();
  control.init(mock.context, mock.notifyOutputChanged, {}, document.createElement('div'));
  const view = render(control.updateView(mock.context));
  await screen.findByRole('heading', { name: 'Customer' });
  return { control, view };
}

describe('ConversationSummary', () => {
  test('init → updateView → getOutputs → destroy shows an identified customer as a link to the record', async () => {
    const mock = setup({ _swb_customerid_value: CONTACT, [`_swb_customerid_value${F}`]: 'Ana Ruiz', '_swb_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'contact' });
    mock.webAPI.put('swb_conversation', { activityid: 'aaaaaaaa-0000-4000-8000-000000000002', _swb_customerid_value: CONTACT, subject: 'Refund question', swb_state: ConversationState.Closed, swb_openedon: '2026-10-01T09:00:00Z' });
    const { control, view } = await mount(mock);
    fireEvent.click(await screen.findByRole('button', { name: 'Ana Ruiz' }));
    expect(mock.opened).toEqual([{ entityName: 'contact', entityId: CONTACT }]);
    fireEvent.click(await screen.findByText('Refund question'));
    expect(mock.opened[1]).toEqual({ entityName: 'swb_conversation', entityId: 'aaaaaaaa-0000-4000-8000-000000000002' });
    expect(control.getOutputs?.()).toEqual({});
    view.unmount();
    control.destroy();
  });

  test('channel, queue, workstream, wait time, pre-chat answers and context are listed', async () => {
    await mount(setup({}));
    expect(await screen.findByText('Live chat')).toBeTruthy();
    expect(screen.getByText('Billing')).toBeTruthy();
    expect(screen.getByText('Web chat')).toBeTruthy();
    expect(screen.getByText('2:05')).toBeTruthy();
    expect(screen.getByText('A-1042')).toBeTruthy();
    expect(screen.getByText('/checkout')).toBeTruthy();
    expect(screen.getByText('129.5')).toBeTruthy();
  });

  test('a summary opened while the conversation still waits shows the wait time once an agent accepts, without reloading the form', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-11-24T10:01:00Z') });
    try {
      const mock = setup({ swb_state: ConversationState.Waiting, swb_firstassignedon: null });
      await mount(mock);
      expect(await screen.findByText('1:00 (still waiting)')).toBeTruthy();
      mock.webAPI.put('swb_conversation', { ...mock.webAPI.row('swb_conversation', CONV), swb_state: ConversationState.Active, swb_firstassignedon: '2026-11-24T10:01:30Z' });
      await act(async () => {
        jest.advanceTimersByTime(3_000);
        for (let i = 0; i < 20; i++) await Promise.resolve();
      });
      expect(await screen.findByText('1:30')).toBeTruthy();
      expect(screen.queryByText(/still waiting/)).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });

  test('an unidentified customer is labelled so, with the name and number they gave', async () => {
    await mount(setup({ swb_identificationresult: IdentificationResult.NotFound, swb_customername: 'Sam', swb_customerphone: '+33612345678' }));
    expect(await screen.findByText('Unidentified')).toBeTruthy();
    expect(screen.getByText(/Sam · \+33612345678/)).toBeTruthy();
  });

  test('ambiguous matches are offered and choosing one sets the customer', async () => {
    const mock = setup({ swb_identificationresult: IdentificationResult.Ambiguous, swb_candidateids: JSON.stringify([{ table: 'contact', id: CONTACT }, { table: 'account', id: ACCOUNT }]) });
    mock.webAPI.put('contact', { contactid: CONTACT, fullname: 'Ana Ruiz' });
    mock.webAPI.put('account', { accountid: ACCOUNT, name: 'Ruiz Bakery' });
    await mount(mock);
    const list = await screen.findByRole('list', { name: 'Matching records' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    fireEvent.click(within(list).getByRole('button', { name: 'Choose Ruiz Bakery as the customer' }));
    await screen.findByText('Ruiz Bakery');
    const update = mock.webAPI.calls.find((c) => c.op === 'update')!;
    expect(update.data).toEqual({ 'swb_customerid_account@odata.bind': `/accounts(${ACCOUNT})`, swb_identificationresult: IdentificationResult.Identified });
  });

  test('a choice Dataverse refuses says why with its message, and the candidates stay', async () => {
    const mock = setup({ swb_identificationresult: IdentificationResult.Ambiguous, swb_candidateids: JSON.stringify([{ table: 'contact', id: CONTACT }, { table: 'account', id: ACCOUNT }]) });
    mock.webAPI.put('contact', { contactid: CONTACT, fullname: 'Ana Ruiz' });
    mock.webAPI.put('account', { accountid: ACCOUNT, name: 'Ruiz Bakery' });
    await mount(mock);
    const list = await screen.findByRole('list', { name: 'Matching records' });
    mock.webAPI.failNext('update', dataverseError('This conversation is waiting to be routed; only routing can assign, move or end it now.'));
    fireEvent.click(within(list).getByRole('button', { name: 'Choose Ana Ruiz as the customer' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This conversation is waiting to be routed; only routing can assign, move or end it now.');
    expect(screen.getByRole('list', { name: 'Matching records' })).toBeTruthy();
  });

  test('makers choose sections: sentiment shows unless hidden, others can be hidden', async () => {
    const { view } = await mount(setup({}, { showPreChat: prop(false, 'TwoOptions'), showHistory: prop(false, 'TwoOptions') }));
    expect(await screen.findByText('Slightly negative')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Pre-chat answers' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Earlier conversations' })).toBeNull();
    view.unmount();
    await mount(setup({ swb_sentiment: Sentiment.VeryNegative }, { showSentiment: prop(false, 'TwoOptions') }));
    expect(screen.queryByRole('heading', { name: 'Sentiment' })).toBeNull();
    // Hidden by the maker: no alert either.
    expect(screen.queryByTestId('summary-sentiment-alert')).toBeNull();
  });

  test('French resources label the sections', async () => {
    const mock = setup({}, {}, 1036);
    const control: ComponentFramework.ReactControl<IInputs, IOutputs> = new ConversationSummary();
    control.init(mock.context);
    render(control.updateView(mock.context));
    expect(await screen.findByRole('heading', { name: 'Réponses avant chat' })).toBeTruthy();
    expect(screen.getByText('Non identifié')).toBeTruthy();
  });

  test('an unidentified chat shows the first name given in the pre-chat answers, not just "Unidentified"', async () => {
    await mount(setup({ swb_identificationresult: IdentificationResult.NotFound, swb_prechatanswers: JSON.stringify({ firstname: 'Camille', email: 'camille@elsewhere.example' }) }));
    await screen.findByText('Unidentified');
    expect(screen.getByTestId('summary-customer').textContent).toBe('Unidentified Camille');
  });

  const pairs = (testId: string) => {
    const dl = screen.getByTestId(testId);
    const terms = within(dl).getAllByRole('term').map((e) => e.textContent);
    const values = within(dl).getAllByRole('definition').map((e) => e.textContent);
    return terms.map((term, i) => [term, values[i]]);
  };

  test('pre-chat answers carry their question\'s label, in the agent\'s language, and a choice its label', async () => {
    const WIDGET = 'ffffffff-0000-4000-8000-000000000001';
    const mock = setup(
      { _swb_chatwidgetid_value: WIDGET, swb_prechatanswers: JSON.stringify({ firstname: 'Camille', topic: 'billing', q7: 'A-1042' }) },
      {},
      1036,
    );
    mock.webAPI.put('swb_chatwidget', {
      swb_chatwidgetid: WIDGET,
      swb_prechatquestions: JSON.stringify([
        { id: 'firstname', contactField: 'firstname', label: { 1033: 'First name', 1036: 'Prénom' } },
        { id: 'topic', type: 'choice', label: { en: 'What is it about?', fr: 'À quel sujet ?' }, choices: [{ value: 'billing', label: { 1033: 'Billing', 1036: 'Facturation' } }] },
      ]),
    });
    const control = new ConversationSummary();
    control.init(mock.context);
    render(control.updateView(mock.context));
    await screen.findByText('Facturation');
    // q7 has no question any more: its key is all there is, written out.
    expect(pairs('summary-prechat')).toEqual([['Prénom', 'Camille'], ['À quel sujet ?', 'Facturation'], ['Q7', 'A-1042']]);
  });

  test('without a widget definition, known keys are translated and others written out as words; context values the control knows are named', async () => {
    await mount(
      setup({
        swb_channeltype: ChannelType.Sms,
        swb_prechatanswers: JSON.stringify({ firstname: 'Ana', emailaddress1: 'ana@example.com' }),
        swb_context: JSON.stringify({ to: '+33757000100', provider: 'telesign', pageUrl: 'https://shop.example/cart', cartTotal: 249, loyaltyTier: 'Gold' }),
      }),
    );
    await screen.findByText('TeleSign');
    expect(pairs('summary-prechat')).toEqual([['First name', 'Ana'], ['Email', 'ana@example.com']]);
    expect(pairs('summary-context')).toEqual([
      ['Our number', '+33757000100'],
      ['SMS provider', 'TeleSign'],
      ['Page address', 'https://shop.example/cart'],
      ['Cart total', '249'],
      ['Loyalty tier', 'Gold'],
    ]);
  });

  describe('sentiment', () => {
    const ME = '11111111-1111-4111-8111-111111111111';
    const current = fakePushPerTest(ME);
    const trend = (...levels: string[]) => JSON.stringify(levels.map((level, i) => ({ at: `2026-11-24T10:0${i}:00.000Z`, level })));
    const section = () => screen.getByRole('region', { name: 'Sentiment' });

    test('every level of the seven-point scale reads in the agent\'s language', async () => {
      const levels: [number, string, string][] = [
        [Sentiment.VeryNegative, 'Very negative', 'Très négatif'],
        [Sentiment.Negative, 'Negative', 'Négatif'],
        [Sentiment.SlightlyNegative, 'Slightly negative', 'Légèrement négatif'],
        [Sentiment.Neutral, 'Neutral', 'Neutre'],
        [Sentiment.SlightlyPositive, 'Slightly positive', 'Légèrement positif'],
        [Sentiment.Positive, 'Positive', 'Positif'],
        [Sentiment.VeryPositive, 'Very positive', 'Très positif'],
      ];
      for (const [value, en, fr] of levels) {
        for (const [lang, text] of [[1033, en], [1036, fr]] as const) {
          const mock = setup({ swb_sentiment: value }, {}, lang);
          const control = new ConversationSummary();
          control.init(mock.context);
          const view = render(control.updateView(mock.context));
          expect((await screen.findByTestId('summary-sentiment')).textContent).toBe(text);
          view.unmount();
        }
      }
    });

    test('a conversation not scored yet says so, without an alert', async () => {
      await mount(setup({ swb_sentiment: null }));
      expect(within(section()).getByText('Not estimated yet.')).toBeTruthy();
      expect(screen.queryByRole('alert')).toBeNull();
    });

    test('a negative conversation shows its level, the trend that led there and an alert', async () => {
      await mount(setup({ swb_sentiment: Sentiment.Negative, swb_sentimenttrend: trend('neutral', 'slightlyNegative', 'negative') }));
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toBe('The customer is upsetSentiment is negative. Acknowledge the frustration and offer a concrete next step.');
      expect(within(section()).getByText('Negative')).toBeTruthy();
      expect(within(section()).getByRole('img', { name: 'Trend of the last 3 messages: from Neutral to Negative' })).toBeTruthy();
    });

    test('in French, a very negative conversation is alerted in French', async () => {
      const mock = setup({ swb_sentiment: Sentiment.VeryNegative, swb_sentimenttrend: trend('slightlyPositive', 'veryNegative') }, {}, 1036);
      const control = new ConversationSummary();
      control.init(mock.context);
      render(control.updateView(mock.context));
      expect((await screen.findByRole('alert')).textContent).toBe('Le client est mécontentSentiment très négatif. Reconnaissez sa frustration et proposez une prochaine étape concrète.');
      expect(screen.getByRole('img', { name: 'Tendance des 2 derniers messages : de Légèrement positif à Très négatif' })).toBeTruthy();
    });

    test('a single scored message shows the level without a trend line; slightly negative is no alert', async () => {
      await mount(setup({ swb_sentiment: Sentiment.SlightlyNegative, swb_sentimenttrend: trend('slightlyNegative') }));
      await screen.findByText('Slightly negative');
      expect(screen.queryByRole('img')).toBeNull();
      expect(screen.queryByRole('alert')).toBeNull();
    });

    test('told that its conversation changed, the summary reads the new level: the alert comes, and goes when the customer calms down', async () => {
      const mock = setup({ swb_sentiment: Sentiment.Neutral, swb_sentimenttrend: trend('neutral') });
      await mount(mock);
      await screen.findByText('Neutral');
      expect(screen.queryByRole('alert')).toBeNull();
      mock.webAPI.put('swb_conversation', { ...mock.webAPI.row('swb_conversation', CONV), swb_sentiment: Sentiment.VeryNegative, swb_sentimenttrend: trend('neutral', 'veryNegative') });
      await act(async () => current().emit({ kind: 'conversation', conversationId: CONV }));
      expect((await screen.findByRole('alert')).textContent).toContain('very negative');
      mock.webAPI.put('swb_conversation', { ...mock.webAPI.row('swb_conversation', CONV), swb_sentiment: Sentiment.SlightlyPositive, swb_sentimenttrend: trend('neutral', 'veryNegative', 'slightlyPositive') });
      await act(async () => current().emit({ kind: 'conversation', conversationId: CONV }));
      await screen.findByText('Slightly positive');
      expect(screen.queryByRole('alert')).toBeNull();
    });
  });
});
