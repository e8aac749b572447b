import { IdentificationResult } from '@switchboard/solution';
import { identificationColumns } from './identification.mapper';

const contact = { entity: 'contact' as const, id: 'c1', fields: {} };
const account = { entity: 'account' as const, id: 'a1', fields: {} };

test('a matched customer is bound on the conversation by its table, and the result says identified', () => {
  expect(identificationColumns({ kind: 'matched', record: contact })).toEqual({ 'swb_customerid_contact@odata.bind': '/contacts(c1)', swb_identificationresult: IdentificationResult.Identified });
  expect(identificationColumns({ kind: 'matched', record: account })).toEqual({ 'swb_customerid_account@odata.bind': '/accounts(a1)', swb_identificationresult: IdentificationResult.Identified });
});

test('ambiguous candidates are kept for the agent to choose; no match and not attempted say so', () => {
  expect(identificationColumns({ kind: 'ambiguous', records: [contact, account] })).toEqual({
    swb_identificationresult: IdentificationResult.Ambiguous,
    swb_candidateids: '[{"table":"contact","id":"c1"},{"table":"account","id":"a1"}]',
  });
  expect(identificationColumns({ kind: 'none', reason: 'noMatch' })).toEqual({ swb_identificationresult: IdentificationResult.NotFound });
  expect(identificationColumns(null)).toEqual({ swb_identificationresult: IdentificationResult.NotAttempted });
});
