import fc from 'fast-check';
import { parseExecutionContext } from './context.parser';
import { date, executionContext, option, ref } from '../testing/contexts';

const CONV = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const AGENT = '22222222-2222-4222-8222-222222222222';

function update() {
  return executionContext({
    message: 'Update',
    table: 'swb_conversation',
    id: CONV,
    stage: 40,
    mode: 'async',
    target: { swb_state: option(612400003), swb_wrapupon: date('2026-11-24T09:59:00Z'), swb_primaryagentid: ref('systemuser', AGENT, 'Ana Agent'), subject: 'Hello', swb_priority: 5 },
    preImages: { Image: { swb_state: option(612400002) } },
    postImages: { Image: { swb_state: option(612400003) } },
  });
}

describe('execution context parser', () => {
  it('decodes a real-shaped Update context into typed values', () => {
    const parsed = parseExecutionContext(update());
    if (!parsed.ok) throw new Error(parsed.error.message);
    const ctx = parsed.value;
    expect(ctx).toMatchObject({ messageName: 'Update', primaryEntityName: 'swb_conversation', primaryEntityId: CONV, stage: 40, mode: 'async', depth: 1 });
    expect(ctx.target?.attributes).toEqual({
      swb_state: 612400003,
      swb_wrapupon: new Date('2026-11-24T09:59:00Z'),
      swb_primaryagentid: { logicalName: 'systemuser', id: AGENT, name: 'Ana Agent' },
      subject: 'Hello',
      swb_priority: 5,
    });
    expect(ctx.preImages['Image']?.attributes['swb_state']).toBe(612400002);
    expect(ctx.operationCreatedOn).toEqual(new Date('2026-11-24T10:00:00Z'));
  });

  it('accepts the body as JSON text and money, offset dates and multi-select values', () => {
    const body = update();
    const target = (body['InputParameters'] as { value: { Attributes: unknown[] } }[])[0]!.value;
    target.Attributes.push(
      { key: 'revenue', value: { __type: 'Money:http://schemas.microsoft.com/xrm/2011/Contracts', Value: 12.5 } },
      { key: 'swb_at', value: '/Date(1764000000000+0100)/' },
      { key: 'swb_multi', value: [{ __type: 'OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts', Value: 1 }] },
    );
    const parsed = parseExecutionContext(JSON.stringify(body));
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.target?.attributes['revenue']).toBe(12.5);
    expect(parsed.value.target?.attributes['swb_at']).toEqual(new Date(1764000000000));
    expect(parsed.value.target?.attributes['swb_multi']).toEqual([1]);
  });

  it.each([
    ['a body that is not JSON', 'not json', '$'],
    ['a missing message name', { ...update(), MessageName: undefined }, '$.MessageName'],
    ['a stage Dataverse never sends', { ...update(), Stage: 30 }, '$.Stage'],
    ['a mode other than 0 or 1', { ...update(), Mode: 2 }, '$.Mode'],
    ['a primary id that is not a GUID', { ...update(), PrimaryEntityId: 'abc' }, '$.PrimaryEntityId'],
    ['an Update without a Target', { ...update(), InputParameters: [] }, '$.InputParameters'],
    ['an initiating user that is not a GUID', { ...update(), InitiatingUserId: 42 }, '$.InitiatingUserId'],
  ])('rejects %s with the path of the problem', (_name, body, path) => {
    const parsed = parseExecutionContext(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.path).toBe(path);
  });

  it('rejects a typed value whose payload is wrong', () => {
    const body = update();
    const target = (body['InputParameters'] as { value: { Attributes: { key: string; value: unknown }[] } }[])[0]!.value;
    target.Attributes[0] = { key: 'swb_state', value: { __type: 'OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts', Value: 'x' } };
    const parsed = parseExecutionContext(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toMatch(/Value must be an integer/);
  });

  it('refuses messages no Switchboard step handles', () => {
    const parsed = parseExecutionContext({ ...update(), MessageName: 'Assign' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.code).toBe('context.unsupportedMessage');
  });

  it('reads Associate contexts with their relationship and related rows', () => {
    const body = {
      ...update(),
      MessageName: 'Associate',
      PrimaryEntityName: 'queue',
      InputParameters: [
        { key: 'Target', value: { __type: 'EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts', Id: CONV, LogicalName: 'queue', Name: null } },
        { key: 'Relationship', value: { __type: 'Relationship:http://schemas.microsoft.com/xrm/2011/Contracts', PrimaryEntityRole: null, SchemaName: 'queuemembership_association' } },
        { key: 'RelatedEntities', value: [{ __type: 'EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts', Id: AGENT, LogicalName: 'systemuser', Name: null }] },
      ],
    };
    const parsed = parseExecutionContext(body);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.relationship).toEqual({ schemaName: 'queuemembership_association', relatedEntities: [{ logicalName: 'systemuser', id: AGENT }] });
  });
});

describe('execution context parser on hostile input', () => {
  it('never throws, whatever the body: every input is a context or a coded error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.json()), (body) => {
        const r = parseExecutionContext(body);
        return r.ok || (typeof r.error.message === 'string' && r.error.path.startsWith('$'));
      }),
      { numRuns: 300 },
    );
  });

  it('a valid context with any one field replaced by junk is rejected or still well-typed, never a crash', () => {
    const valid = update();
    const keys = Object.keys(valid);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.anything(), (key, junk) => {
        const r = parseExecutionContext({ ...valid, [key]: junk });
        if (!r.ok) return r.error.code === 'context.malformed' || r.error.code === 'context.unsupportedMessage';
        return typeof r.value.primaryEntityId === 'string' && (r.value.stage === 10 || r.value.stage === 20 || r.value.stage === 40);
      }),
      { numRuns: 300 },
    );
  });
});
