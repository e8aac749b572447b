// The push settings as the composition root reads them from the app settings (composition.ts).
import { pushSettings } from '../composition';
import { ConfigError } from '../hosting/errors';

const KEY = 'push-settings-test-access-key-0123456789';
const CONNECTION = `Endpoint=https://swb-push.webpubsub.azure.com;AccessKey=${KEY};Version=1.0;`;

/** The ConfigError `read` throws (failing the test when it throws nothing or something else). */
function configErrorOf(read: () => unknown): ConfigError {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

it('is null (push off, clients poll) when no connection string is set, or only white space', () => {
  expect(pushSettings({})).toBeNull();
  expect(pushSettings({ SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: '   ' })).toBeNull();
  // The other push settings mean nothing without it.
  expect(pushSettings({ SWITCHBOARD_WEBPUBSUB_HUB: 'not a hub!', SWITCHBOARD_PRESENCE_GRACE_SECONDS: '-1' })).toBeNull();
});

it('defaults the hub to switchboard and the presence grace to 150 seconds', () => {
  expect(pushSettings({ SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: `  ${CONNECTION}  ` })).toEqual({ connectionString: CONNECTION, hub: 'switchboard', graceSeconds: 150 });
  expect(pushSettings({ SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: CONNECTION, SWITCHBOARD_WEBPUBSUB_HUB: ' ', SWITCHBOARD_PRESENCE_GRACE_SECONDS: '' })).toEqual({ connectionString: CONNECTION, hub: 'switchboard', graceSeconds: 150 });
});

it('takes a hub name and a grace within 1–3600 seconds as given', () => {
  expect(pushSettings({ SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: CONNECTION, SWITCHBOARD_WEBPUBSUB_HUB: 'Desk_2', SWITCHBOARD_PRESENCE_GRACE_SECONDS: '1' })).toEqual({ connectionString: CONNECTION, hub: 'Desk_2', graceSeconds: 1 });
  expect(pushSettings({ SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: CONNECTION, SWITCHBOARD_PRESENCE_GRACE_SECONDS: '3600' })?.graceSeconds).toBe(3600);
  expect(pushSettings({ SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: CONNECTION, SWITCHBOARD_PRESENCE_GRACE_SECONDS: '2.5' })?.graceSeconds).toBe(2.5);
});

it('refuses a malformed connection string with a ConfigError naming the setting, without repeating the key', () => {
  for (const bad of ['garbage', `AccessKey=${KEY}`, 'Endpoint=https://swb-push.webpubsub.azure.com', `Endpoint=not a url;AccessKey=${KEY}`]) {
    const err = configErrorOf(() => pushSettings({ SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: bad }));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toContain('SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING');
    expect(err.message).not.toContain(KEY);
  }
});

it('refuses a hub name Web PubSub would not take with a ConfigError naming the setting', () => {
  for (const hub of ['1hub', 'my-hub', 'my hub', 'hub.name', 'h'.repeat(129)]) {
    const err = configErrorOf(() => pushSettings({ SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: CONNECTION, SWITCHBOARD_WEBPUBSUB_HUB: hub }));
    expect(err.problems[0]).toContain('SWITCHBOARD_WEBPUBSUB_HUB');
  }
  expect(pushSettings({ SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: CONNECTION, SWITCHBOARD_WEBPUBSUB_HUB: 'h'.repeat(128) })?.hub).toHaveLength(128);
});

it('refuses a presence grace outside 1–3600 seconds, or not a number, with a ConfigError naming the setting', () => {
  for (const grace of ['0', '0.5', '3601', '-5', 'abc', '150s', 'Infinity', 'NaN']) {
    const err = configErrorOf(() => pushSettings({ SWITCHBOARD_WEBPUBSUB_CONNECTION_STRING: CONNECTION, SWITCHBOARD_PRESENCE_GRACE_SECONDS: grace }));
    expect(err.problems[0]).toContain('SWITCHBOARD_PRESENCE_GRACE_SECONDS');
    expect(err.problems[0]).toContain(grace);
  }
});
