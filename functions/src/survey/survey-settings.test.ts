import type { RoutingConfig, WorkstreamConfig } from '@switchboard/core';
import en from './resources/survey.en.json';
import fr from './resources/survey.fr.json';
import { ChannelType } from '@switchboard/solution';
import { workstreamFromRows } from '../routing/routing-config.mapper';
import { adminQuestion, parseSurveyTexts, smsSurveyQuestion, surveysOf } from './survey-settings';

describe('survey wording', () => {
  it('the admin wording is read by language; blank, malformed or non-text entries are left out', () => {
    expect(parseSurveyTexts('{"en": " Rate us! ", "FR-ca": "Notez-nous", "de": "", "es": 3, "not a tag": "x"}')).toEqual({ en: 'Rate us!', 'fr-ca': 'Notez-nous' });
    expect(parseSurveyTexts('')).toEqual({});
    expect(parseSurveyTexts('not json')).toEqual({});
    expect(parseSurveyTexts('["en"]')).toEqual({});
  });

  it('the admin question is found by exact tag, then by language', () => {
    const texts = { en: 'How did we do?', 'fr-ca': 'Comment nous avez-vous trouvés ?', fr: 'Comment était-ce ?' };
    expect(adminQuestion(texts, 'fr-CA')).toBe('Comment nous avez-vous trouvés ?');
    expect(adminQuestion(texts, 'fr-FR')).toBe('Comment était-ce ?');
    expect(adminQuestion(texts, 'de')).toBeNull();
  });

  it('an SMS customer is asked in their language: the admin wording, else the built-in one, in English and French', () => {
    expect(smsSurveyQuestion({}, 'en')).toBe('How would you rate our help, from 1 (poor) to 5 (excellent)? Reply with a number.');
    expect(smsSurveyQuestion({}, 'fr')).toBe(fr['question.sms']);
    expect(smsSurveyQuestion({}, null)).toBe(en['question.sms']);
    expect(smsSurveyQuestion({ fr: 'Votre note, de 1 à 5 ?' }, 'fr-FR')).toBe('Votre note, de 1 à 5 ?');
    // Language beats wording: the English-only admin text does not reach a French customer.
    expect(smsSurveyQuestion({ en: 'Rate us 1-5' }, 'fr')).toBe(fr['question.sms']);
    // A language we have no wording of: the admin's English, else ours.
    expect(smsSurveyQuestion({ en: 'Rate us 1-5' }, 'de-DE')).toBe('Rate us 1-5');
    expect(smsSurveyQuestion({}, 'de-DE')).toBe(en['question.sms']);
  });
});

describe('survey settings', () => {
  it('the workstream row\'s switch and wording come with the routing configuration; off by default', () => {
    const row = { swb_workstreamid: 'w1', swb_channeltype: ChannelType.Sms };
    expect(workstreamFromRows({ ...row, swb_surveyenabled: true, swb_surveytexts: '{"fr":"Votre note ?"}' }, [], 'q').survey).toEqual({ texts: { fr: 'Votre note ?' } });
    expect(workstreamFromRows({ ...row, swb_surveyenabled: true, swb_surveytexts: null }, [], 'q').survey).toEqual({ texts: {} });
    expect(workstreamFromRows({ ...row, swb_surveytexts: '{"fr":"Votre note ?"}' }, [], 'q').survey).toBeUndefined();
  });

  const ws = (id: string, extra: Partial<WorkstreamConfig>): WorkstreamConfig =>
    ({ id, channel: 'sms', allowedPresences: ['Available'], capacityUnits: 1, wrapUpBlocking: { kind: 'never' }, offerTimeoutSeconds: 60, declineLimitPerAgent: 3, skillMatch: 'exact', ruleset: { classification: [], routeToQueue: [], fallbackQueueId: 'q' }, ...extra }) as WorkstreamConfig;
  const config = { workstreams: [ws('AAAA', { survey: { texts: { en: 'Rate us' } } }), ws('bbbb', {})] } as unknown as RoutingConfig;

  it('a workstream with the survey on gives its channel and wording; one with it off, an unknown one or none gives nothing', async () => {
    const surveys = surveysOf({ get: async () => config });
    expect(await surveys.of('aaaa')).toEqual({ workstreamId: 'AAAA', channel: 'sms', texts: { en: 'Rate us' } });
    expect(await surveys.of('bbbb')).toBeNull();
    expect(await surveys.of('cccc')).toBeNull();
    expect(await surveys.of(null)).toBeNull();
  });
});
