// Who the customer is, in one line, wherever an agent needs to recognise a conversation (an
// offer, the summary): the identified contact or account, else the name they gave (the
// conversation's customer name, or their pre-chat answers), else their phone number.
import { FORMATTED, type ConversationRow } from '../model/rows';
import { parseJsonObject } from './json-field';
import { nameFromAnswers, type PreChatQuestion } from './pre-chat';

export interface CustomerLabel {
  name: string;
  /** record: an identified contact or account; given: a name the customer typed; phone: only their number. */
  source: 'record' | 'given' | 'phone' | 'none';
}

type Row = Pick<ConversationRow, '_swb_customerid_value' | 'swb_customername' | 'swb_customerphone' | 'swb_prechatanswers'> & { [annotation: string]: unknown };

export function customerLabel(row: Row, questions: readonly PreChatQuestion[] = []): CustomerLabel {
  const record = (row[`_swb_customerid_value${FORMATTED}`] as string | undefined)?.trim();
  if (row._swb_customerid_value && record) return { name: record, source: 'record' };
  const given = row.swb_customername?.trim() || nameFromAnswers(parseJsonObject(row.swb_prechatanswers), questions);
  if (given) return { name: given, source: 'given' };
  const phone = row.swb_customerphone?.trim();
  if (phone) return { name: phone, source: 'phone' };
  return { name: '', source: 'none' };
}
