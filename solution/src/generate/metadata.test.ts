import { metadata } from '../generated/metadata';

describe('metadata', () => {
  it('every table has the system columns Dataverse adds, with ownership columns only on user-owned tables', () => {
    for (const e of Object.values(metadata.entities)) {
      for (const a of ['createdon', 'modifiedon', 'createdby', 'modifiedby', 'versionnumber', e.primaryIdAttribute, e.primaryNameAttribute]) {
        expect(e.attributes[a]).toBeDefined();
      }
      expect(Boolean(e.attributes.ownerid)).toBe(e.ownership === 'user');
      expect(Boolean(e.attributes.owningbusinessunit)).toBe(e.ownership === 'user');
    }
  });

  it('activity tables use activityid and subject and carry the activity columns', () => {
    const c = metadata.entities.swb_conversation!;
    expect(c.isActivity).toBe(true);
    expect(c.primaryIdAttribute).toBe('activityid');
    expect(c.primaryNameAttribute).toBe('subject');
    for (const a of ['regardingobjectid', 'actualstart', 'actualend', 'scheduledstart', 'scheduledend', 'activitytypecode', 'description', 'statecode']) {
      expect(c.attributes[a]).toBeDefined();
    }
    expect(metadata.entities.swb_message!.primaryIdAttribute).toBe('swb_messageid');
  });

  it('entity sets map back to logical names', () => {
    expect(metadata.entitySets.swb_conversations).toBe('swb_conversation');
    expect(metadata.entitySets.contacts).toBe('contact');
    for (const [set, name] of Object.entries(metadata.entitySets)) expect(metadata.entities[name]!.entitySetName).toBe(set);
  });

  it('the provider message id and the sequence are alternate keys of message, so retries cannot duplicate', () => {
    const keys = metadata.entities.swb_message!.alternateKeys.map((k) => k.columns);
    expect(keys).toContainEqual(['swb_channelid', 'swb_providermessageid']);
    expect(keys).toContainEqual(['swb_conversationid', 'swb_sequence']);
    expect(metadata.entities.swb_message!.attributes.swb_providermessageid!.searched).toBe(true);
  });

  it('lookups name their targets and every lookup target has a one-to-many relationship', () => {
    expect(metadata.entities.swb_conversation!.attributes.swb_customerid!.targets).toEqual(['account', 'contact']);
    for (const e of Object.values(metadata.entities)) {
      for (const a of Object.values(e.attributes)) {
        // regardingobjectid is the activity's own polymorphic link, not one of our lookups.
        if (a.system || a.logicalName === 'regardingobjectid' || (a.type !== 'lookup' && a.type !== 'customer')) continue;
        for (const t of a.targets ?? []) {
          expect(metadata.oneToMany.some((r) => r.referencingTable === e.logicalName && r.lookupColumn === a.logicalName && r.referencedTable === t)).toBe(true);
        }
      }
    }
  });

  it('contact.mobilephone and account.telephone1 are searched, for SMS identification', () => {
    expect(metadata.entities.contact!.attributes.mobilephone!.searched).toBe(true);
    expect(metadata.entities.account!.attributes.telephone1!.searched).toBe(true);
  });

  it('queue membership is the standard N:N between queue and systemuser', () => {
    expect(metadata.manyToMany).toContainEqual(expect.objectContaining({ intersectEntityName: 'queuemembership', table1: 'queue', table2: 'systemuser', standard: true }));
  });
});
