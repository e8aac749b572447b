import * as React from 'react';
import { Button, Caption1, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Radio, RadioGroup, Select, makeStyles, tokens } from '@fluentui/react-components';
import { presenceBaseOf } from '@switchboard/core';
import type { Translate } from '../../../shared/src';
import type { AgentFigures, OngoingRow } from '../logic/floor';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  error: { color: tokens.colorPaletteRedForeground1 },
  hint: { color: tokens.colorNeutralForeground3 },
});

export type MoveTarget = { kind: 'agent'; agentId: string; name: string; overCapacity: boolean } | { kind: 'queue'; queueId: string; name: string };

export interface MoveDialogProps {
  mode: 'assign' | 'transfer';
  row: OngoingRow;
  /** Agents of the conversation's queue (its current agent left out). */
  agents: readonly AgentFigures[];
  /** Queues it may go back to (transfer only). */
  queues: readonly { id: string; name: string }[];
  busy: boolean;
  /** Dataverse's refusal of the last attempt, word for word (a full agent, say). */
  refusal: string;
  t: Translate;
  onCancel: () => void;
  onConfirm: (target: MoveTarget) => void;
}

/** Assign a waiting conversation, or transfer an active one, to an agent of its queue (or to a queue). */
export function MoveDialog(props: MoveDialogProps): React.ReactElement {
  const { t, row } = props;
  const s = useStyles();
  const [to, setTo] = React.useState<'agent' | 'queue'>('agent');
  const [agentId, setAgentId] = React.useState(props.agents.find((a) => !a.full)?.id ?? props.agents[0]?.id ?? '');
  const [queueId, setQueueId] = React.useState(props.queues[0]?.id ?? '');
  const [over, setOver] = React.useState(false);
  const agent = props.agents.find((a) => a.id === agentId);
  const queue = props.queues.find((q) => q.id === queueId);
  const title = props.mode === 'assign' ? t('Move_AssignTitle', row.customer || t('Untitled')) : t('Move_TransferTitle', row.customer || t('Untitled'));
  const ready = to === 'agent' ? Boolean(agent) : Boolean(queue);
  const confirm = () => {
    if (to === 'agent' && agent) props.onConfirm({ kind: 'agent', agentId: agent.id, name: agent.name, overCapacity: over });
    if (to === 'queue' && queue) props.onConfirm({ kind: 'queue', queueId: queue.id, name: queue.name });
  };
  return (
    <Dialog open modalType="modal" onOpenChange={(_e, d) => !d.open && props.onCancel()}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent className={s.form}>
            {props.mode === 'transfer' && (
              <RadioGroup layout="horizontal" value={to} onChange={(_e, d) => setTo(d.value as 'agent' | 'queue')} aria-label={t('Move_To')}>
                <Radio value="agent" label={t('Move_ToAgent')} />
                <Radio value="queue" label={t('Move_ToQueue')} />
              </RadioGroup>
            )}
            {to === 'agent' ? (
              props.agents.length === 0 ? (
                <Caption1>{t('Move_NoAgent')}</Caption1>
              ) : (
                <>
                  <Field label={t('Move_Agent')}>
                    <Select value={agentId} onChange={(_e, d) => setAgentId(d.value)}>
                      {props.agents.map((a) => (
                        <option key={a.id} value={a.id}>
                          {t(a.full ? 'Move_AgentOptionFull' : 'Move_AgentOption', a.name, t(`Presence_${presenceBaseOf(a.presence) ?? 'Offline'}`), a.usedUnits, a.maxUnits)}
                        </option>
                      ))}
                    </Select>
                  </Field>
                  <Checkbox checked={over} onChange={(_e, d) => setOver(d.checked === true)} label={t('Move_Force')} />
                  {agent?.full && !over && <Caption1 className={s.hint}>{t('Move_ForceHint', agent.name)}</Caption1>}
                </>
              )
            ) : (
              <Field label={t('Move_Queue')}>
                <Select value={queueId} onChange={(_e, d) => setQueueId(d.value)}>
                  {props.queues.map((q) => (
                    <option key={q.id} value={q.id}>
                      {q.name}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
            {props.refusal && (
              <Caption1 role="alert" className={s.error}>
                {props.refusal}
              </Caption1>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={props.onCancel}>
              {t('Cancel')}
            </Button>
            <Button appearance="primary" disabled={!ready || props.busy} onClick={confirm}>
              {props.mode === 'assign' ? t('Move_ConfirmAssign') : t('Move_ConfirmTransfer')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

export interface CloseDialogProps {
  row: OngoingRow;
  busy: boolean;
  refusal: string;
  t: Translate;
  onCancel: () => void;
  onConfirm: () => void;
}

export function CloseDialog({ row, busy, refusal, t, onCancel, onConfirm }: CloseDialogProps): React.ReactElement {
  const s = useStyles();
  return (
    <Dialog open modalType="alert" onOpenChange={(_e, d) => !d.open && onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t('Close_Title', row.customer || t('Untitled'))}</DialogTitle>
          <DialogContent className={s.form}>
            <Caption1>{t('Close_Body')}</Caption1>
            {refusal && (
              <Caption1 role="alert" className={s.error}>
                {refusal}
              </Caption1>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onCancel}>
              {t('Cancel')}
            </Button>
            <Button appearance="primary" disabled={busy} onClick={onConfirm}>
              {t('Close_Confirm')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
