import { model } from './model';

const table = (name: string) => model.tables.find((t) => t.logicalName === name);
const columns = (name: string) => new Set(table(name)?.columns.map((c) => c.logicalName));

describe('the data model', () => {
  it('has every table of the design, with its entity set', () => {
    expect(Object.fromEntries(model.tables.map((t) => [t.logicalName, t.entitySetName]))).toEqual({
      swb_conversation: 'swb_conversations',
      swb_message: 'swb_messages',
      swb_session: 'swb_sessions',
      swb_offer: 'swb_offers',
      swb_workstream: 'swb_workstreams',
      swb_routingrule: 'swb_routingrules',
      swb_bot: 'swb_bots',
      swb_capacityprofile: 'swb_capacityprofiles',
      swb_agentstatus: 'swb_agentstatuses',
      swb_agentskill: 'swb_agentskills',
      swb_channel: 'swb_channels',
      swb_smsnumber: 'swb_smsnumbers',
      swb_chatwidget: 'swb_chatwidgets',
      swb_contextvariable: 'swb_contextvariables',
      swb_messagetemplate: 'swb_messagetemplates',
      swb_automatedmessage: 'swb_automatedmessages',
      swb_operatinghours: 'swb_operatinghourses',
      swb_optout: 'swb_optouts',
      swb_supervisoraction: 'swb_supervisoractions',
      swb_supervisordesk: 'swb_supervisordesks',
      swb_pushticket: 'swb_pushtickets',
      swb_insightbucket: 'swb_insightbuckets',
      swb_insightsync: 'swb_insightsyncs',
      contact: 'contacts',
      account: 'accounts',
      systemuser: 'systemusers',
      queue: 'queues',
      incident: 'incidents',
    });
  });

  it('conversation and session are activities, so they appear on the customer timeline', () => {
    expect(table('swb_conversation')?.isActivity).toBe(true);
    expect(table('swb_session')?.isActivity).toBe(true);
    expect(table('swb_message')?.isActivity).toBeUndefined();
  });

  it('a channel row names the settings that hold secrets and never holds a secret value', () => {
    const names = [...columns('swb_channel')];
    const secretish = names.filter((n) => /secret|token|apikey|password|connectionstring/.test(n));
    expect(secretish.length).toBeGreaterThan(0);
    for (const n of secretish) expect(n).toMatch(/settingname$/);
    for (const t of model.tables) for (const c of t.columns) if (/secret|password|apikey/.test(c.logicalName)) expect(c.logicalName).toMatch(/settingname$/);
  });

  it('keys stop duplicates: provider retries, message sequence, one status per agent, one opt-out per number and channel', () => {
    const keys = (name: string) => table(name)?.alternateKeys?.map((k) => k.columns);
    expect(keys('swb_message')).toEqual([['swb_channelid', 'swb_providermessageid'], ['swb_conversationid', 'swb_sequence']]);
    expect(keys('swb_agentstatus')).toEqual([['swb_agentid']]);
    expect(keys('swb_optout')).toEqual([['swb_phonenumber', 'swb_channelid']]);
  });

  it('queue carries the routing extensions and standard columns are marked so they are never shipped', () => {
    for (const c of ['swb_priority', 'swb_assignmentmethod', 'swb_itemlimit', 'swb_overflowaction', 'swb_overflowqueueid', 'swb_overflowmessageid', 'swb_isfallback', 'swb_operatinghoursid']) {
      expect(columns('queue').has(c)).toBe(true);
    }
    expect(table('contact')?.columns.every((c) => c.standard)).toBe(true);
    expect(table('incident')?.columns.find((c) => c.logicalName === 'swb_conversationid')?.standard).toBeUndefined();
  });

  it('agent status has everything presence and capacity decisions read', () => {
    for (const c of ['swb_agentid', 'swb_basepresence', 'swb_presencelabel', 'swb_manualoverride', 'swb_overridesetton', 'swb_heartbeaton', 'swb_connectionstate', 'swb_disconnectedon', 'swb_capacityused', 'swb_capacitymax', 'swb_lastreleaseon', 'swb_defaultpresence']) {
      expect([c, columns('swb_agentstatus').has(c)]).toEqual([c, true]);
    }
  });
});
