import type { OptOutRow } from '@switchboard/solution';
import type { OptOutLookup } from '../../channels';
import type { DataverseClient } from '../dataverse-client';
import { bind, isStatus, literal } from './odata';

export interface OptOutStore extends OptOutLookup {
  /** Returns the state before the change (undefined when the number had no row). */
  record(channelId: string, number: string, optedOut: boolean, keyword: string, at: Date): Promise<boolean | undefined>;
}

// Rows are keyed by (number, channel), the table's alternate key, so recording is an upsert
// and two STOPs racing each other still leave one row.
export class DataverseOptOutStore implements OptOutStore {
  constructor(private readonly client: DataverseClient) {}

  private key(channelId: string, number: string): string {
    return `swb_phonenumber=${literal(number)},swb_channelid=${channelId}`;
  }

  private async current(channelId: string, number: string): Promise<boolean | undefined> {
    try {
      const row = await this.client.execute((api) =>
        api.retrieve<OptOutRow>({ collection: 'swb_optouts', key: this.key(channelId, number), select: ['swb_isoptedout'] }),
      );
      return row.swb_isoptedout === true;
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw err;
    }
  }

  async isOptedOut(channelId: string, number: string): Promise<boolean> {
    return (await this.current(channelId, number)) === true;
  }

  async record(channelId: string, number: string, optedOut: boolean, keyword: string, at: Date): Promise<boolean | undefined> {
    const before = await this.current(channelId, number);
    await this.client.execute((api) =>
      api.upsert({
        collection: 'swb_optouts',
        key: this.key(channelId, number),
        data: {
          swb_name: `${number} ${optedOut ? 'STOP' : 'START'}`,
          swb_phonenumber: number,
          'swb_channelid@odata.bind': bind('swb_channels', channelId),
          swb_isoptedout: optedOut,
          swb_keyword: keyword.slice(0, 50),
          swb_changedon: at.toISOString(),
        },
      }),
    );
    return before;
  }
}
