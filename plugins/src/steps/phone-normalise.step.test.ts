import { handleStepWebhook } from '../service';
import { executionContext } from '../testing/contexts';
import { fakeDeps } from '../testing/fakes';

const CONTACT = '5a1b2c3d-0000-4000-8000-00000000c001';

function save(table: 'contact' | 'account', message: 'Create' | 'Update', target: Record<string, string | null>, stage: 20 | 40 = 20) {
  return executionContext({ message, table, id: CONTACT, stage, mode: stage === 20 ? 'sync' : 'async', target });
}

describe('phone normalisation step', () => {
  it('a French mobile typed with spaces is stored as +33612345678', async () => {
    const { deps } = fakeDeps();
    const res = await handleStepWebhook('phone-normalise', save('contact', 'Create', { firstname: 'Camille', mobilephone: '06 12 34 56 78' }), deps);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ Target: { mobilephone: '+33612345678' } });
  });

  it('returns only the phone columns it changed, never the rest of the form', async () => {
    const { deps } = fakeDeps();
    const res = await handleStepWebhook('phone-normalise', save('account', 'Update', { name: 'Contoso', telephone1: '+1 (514) 555-0123', telephone2: '+33612345678' }), deps);
    expect((res.body as { Target: unknown }).Target).toEqual({ telephone1: '+15145550123' });
  });

  it('uses the configured default region for numbers without a country code', async () => {
    const { deps } = fakeDeps();
    const ca = { ...deps, config: { ...deps.config, defaultRegion: 'CA' } };
    const res = await handleStepWebhook('phone-normalise', save('contact', 'Update', { mobilephone: '514-555-0123' }), ca);
    expect((res.body as { Target: unknown }).Target).toEqual({ mobilephone: '+15145550123' });
  });

  it('keeps an invalid number exactly as typed and lets the save go through', async () => {
    const { deps } = fakeDeps();
    const res = await handleStepWebhook('phone-normalise', save('contact', 'Update', { mobilephone: 'ext. 4411', telephone1: '01 23' }), deps);
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('Target');
    expect((res.body as { note: string }).note).toMatch(/kept as typed: mobilephone: phone\.\w+, telephone1: phone\.\w+/);
  });

  it('an already normalised or emptied number causes no change', async () => {
    const { deps } = fakeDeps();
    const res = await handleStepWebhook('phone-normalise', save('contact', 'Update', { mobilephone: '+33612345678', telephone1: null }), deps);
    expect(res.body).not.toHaveProperty('Target');
  });

  describe('write-back after the save, for real Dataverse which ignores a webhook\'s Target', () => {
    it('writes the E.164 number back when the row still holds what was typed, guarded by If-Match', async () => {
      const { deps, data } = fakeDeps();
      data.seed(data.rows, `contact:${CONTACT}`, { mobilephone: '06 12 34 56 78', firstname: 'Camille' });
      const res = await handleStepWebhook('phone-normalise', save('contact', 'Create', { mobilephone: '06 12 34 56 78' }, 40), deps);
      expect(res.status).toBe(200);
      expect(data.rows.get(`contact:${CONTACT}`)!.row).toEqual({ mobilephone: '+33612345678', firstname: 'Camille' });
    });

    it('leaves a number someone changed since the save alone', async () => {
      const { deps, data } = fakeDeps();
      data.seed(data.rows, `contact:${CONTACT}`, { mobilephone: '+447700900123' });
      await handleStepWebhook('phone-normalise', save('contact', 'Update', { mobilephone: '06 12 34 56 78' }, 40), deps);
      expect(data.rows.get(`contact:${CONTACT}`)!.row['mobilephone']).toBe('+447700900123');
      expect(data.writes).toEqual([]);
    });

    it('does not overwrite an edit that lands between its read and its write', async () => {
      const { deps, data } = fakeDeps();
      data.seed(data.rows, `contact:${CONTACT}`, { mobilephone: '06 12 34 56 78' });
      data.beforeConditionalWrite = () => data.touch(data.rows, `contact:${CONTACT}`, { mobilephone: '07 00 00 00 00' });
      await handleStepWebhook('phone-normalise', save('contact', 'Update', { mobilephone: '06 12 34 56 78' }, 40), deps);
      expect(data.rows.get(`contact:${CONTACT}`)!.row['mobilephone']).toBe('07 00 00 00 00');
    });

    it('where the pre-operation step already normalised the row, reads and writes nothing', async () => {
      const { deps, data } = fakeDeps();
      const res = await handleStepWebhook('phone-normalise', save('contact', 'Create', { mobilephone: '+33612345678' }, 40), deps);
      expect(res.status).toBe(200);
      expect(data.writes).toEqual([]);
    });
  });
});
