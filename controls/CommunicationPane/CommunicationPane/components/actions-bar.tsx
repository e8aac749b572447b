import * as React from 'react';
import {
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ConversationState, type AgentCandidate, type Translate } from '../../../shared/src';

const useStyles = makeStyles({
  // Buttons keep their words on one line; when the pane is too narrow for all of them, whole
  // buttons move to a second row instead of breaking "End conversation" in two.
  bar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXS, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  button: { whiteSpace: 'nowrap', flexShrink: 0, minWidth: 'auto' },
  spacer: { flexGrow: 1 },
  state: { color: tokens.colorNeutralForeground3, whiteSpace: 'nowrap' },
  form: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
});

export interface PaneActions {
  loadConsultCandidates: () => Promise<AgentCandidate[]>;
  loadTransferCandidates: () => Promise<AgentCandidate[]>;
  loadQueues: () => Promise<{ id: string; name: string }[]>;
  consult: (agentId: string) => Promise<void>;
  transferToQueue: (queueId: string) => Promise<void>;
  transferToAgent: (agentId: string) => Promise<void>;
  end: () => Promise<void>;
  close: () => Promise<void>;
}

export interface ActionsBarProps {
  t: Translate;
  state: number | undefined;
  isPrimary: boolean;
  /** Id of the sentence saying why the actions are not the agent's, when they are not. */
  reasonId: string | undefined;
  actions: PaneActions;
  onStart: () => void;
  onDone: (announcement: string) => void;
  /** Whatever the write was refused with: Dataverse's own message is what the agent reads. */
  onError: (error: unknown) => void;
}

type DialogKind = 'consult' | 'transfer' | undefined;

export function ActionsBar(props: ActionsBarProps): React.ReactElement {
  const { t, state, isPrimary, actions } = props;
  const s = useStyles();
  const [open, setOpen] = React.useState<DialogKind>();
  const [busy, setBusy] = React.useState(false);
  const closed = state === ConversationState.Closed;
  const wrapUp = state === ConversationState.WrapUp;
  const canRoute = isPrimary && state === ConversationState.Active;

  const run = async (work: () => Promise<void>, done: string) => {
    setBusy(true);
    props.onStart();
    try {
      await work();
      props.onDone(done);
    } catch (error) {
      props.onError(error);
    } finally {
      setBusy(false);
    }
  };

  const stateName = state === ConversationState.WrapUp ? 'WrapUp' : state === ConversationState.Closed ? 'Closed' : state === ConversationState.Active ? 'Active' : 'Open';

  return (
    <div className={s.bar} role="toolbar" aria-label={t('Actions_Label')}>
      <Button size="small" className={s.button} disabled={!canRoute || busy} aria-describedby={props.reasonId} onClick={() => setOpen('consult')}>
        {t('Action_Consult')}
      </Button>
      <Button size="small" className={s.button} disabled={!canRoute || busy} aria-describedby={props.reasonId} onClick={() => setOpen('transfer')}>
        {t('Action_Transfer')}
      </Button>
      <span className={s.spacer} />
      {/* While active, "End conversation" says it already; the other states are worth a word. */}
      {state !== ConversationState.Active && <Caption1 className={s.state}>{t(`State_${stateName}`)}</Caption1>}
      {!wrapUp && !closed && (
        <Button size="small" className={s.button} appearance="primary" disabled={!isPrimary || busy || state !== ConversationState.Active} aria-describedby={props.reasonId} onClick={() => void run(actions.end, t('Announce_WrapUp'))}>
          {t('Action_End')}
        </Button>
      )}
      {wrapUp && (
        <Button size="small" className={s.button} appearance="primary" disabled={!isPrimary || busy} aria-describedby={props.reasonId} onClick={() => void run(actions.close, t('Announce_Closed'))}>
          {t('Action_Close')}
        </Button>
      )}
      {open === 'consult' && (
        <ConsultDialog t={t} load={actions.loadConsultCandidates} onCancel={() => setOpen(undefined)} onConfirm={(id, name) => { setOpen(undefined); void run(() => actions.consult(id), t('Announce_Consult', name)); }} />
      )}
      {open === 'transfer' && (
        <TransferDialog
          t={t}
          loadAgents={actions.loadTransferCandidates}
          loadQueues={actions.loadQueues}
          onCancel={() => setOpen(undefined)}
          onConfirm={(kind, id, name) => {
            setOpen(undefined);
            void run(() => (kind === 'queue' ? actions.transferToQueue(id) : actions.transferToAgent(id)), t('Announce_Transfer', name));
          }}
        />
      )}
    </div>
  );
}

function useLoad<T>(load: () => Promise<T>): { value: T | undefined; failed: boolean } {
  const [value, setValue] = React.useState<T>();
  const [failed, setFailed] = React.useState(false);
  React.useEffect(() => {
    let live = true;
    load().then(
      (v) => live && setValue(v),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [load]);
  return { value, failed };
}

interface ConsultDialogProps {
  t: Translate;
  load: () => Promise<AgentCandidate[]>;
  onCancel: () => void;
  onConfirm: (agentId: string, name: string) => void;
}

function ConsultDialog({ t, load, onCancel, onConfirm }: ConsultDialogProps): React.ReactElement {
  const { value: agents, failed } = useLoad(load);
  const [chosen, setChosen] = React.useState('');
  const picked = agents?.find((a) => a.agentId === chosen) ?? agents?.[0];
  return (
    <Dialog open modalType="modal" onOpenChange={(_e, d) => !d.open && onCancel()}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{t('Consult_Title')}</DialogTitle>
          <DialogContent>
            {failed ? (
              <Caption1 role="alert">{t('Load_Failed')}</Caption1>
            ) : !agents ? (
              <Spinner size="tiny" label={t('Loading')} />
            ) : agents.length === 0 ? (
              <Caption1>{t('Consult_NoneAvailable')}</Caption1>
            ) : (
              <Field label={t('Consult_Agent')}>
                <Select value={picked?.agentId} onChange={(_e, d) => setChosen(d.value)}>
                  {agents.map((a) => (
                    <option key={a.agentId} value={a.agentId}>
                      {t('Consult_AgentOption', a.name, a.capacityLeft)}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onCancel}>
              {t('Cancel')}
            </Button>
            <Button appearance="primary" disabled={!picked} onClick={() => picked && onConfirm(picked.agentId, picked.name)}>
              {t('Consult_Confirm')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

interface TransferDialogProps {
  t: Translate;
  loadAgents: () => Promise<AgentCandidate[]>;
  loadQueues: () => Promise<{ id: string; name: string }[]>;
  onCancel: () => void;
  onConfirm: (kind: 'queue' | 'agent', id: string, name: string) => void;
}

function TransferDialog({ t, loadAgents, loadQueues, onCancel, onConfirm }: TransferDialogProps): React.ReactElement {
  const [kind, setKind] = React.useState<'queue' | 'agent'>('queue');
  const queues = useLoad(loadQueues);
  const agents = useLoad(loadAgents);
  const [chosen, setChosen] = React.useState('');
  const options = kind === 'queue' ? (queues.value ?? []).map((q) => ({ id: q.id, name: q.name })) : (agents.value ?? []).map((a) => ({ id: a.agentId, name: a.name }));
  const loading = kind === 'queue' ? !queues.value && !queues.failed : !agents.value && !agents.failed;
  const failed = kind === 'queue' ? queues.failed : agents.failed;
  const picked = options.find((o) => o.id === chosen) ?? options[0];
  const s = useStyles();
  return (
    <Dialog open modalType="modal" onOpenChange={(_e, d) => !d.open && onCancel()}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{t('Transfer_Title')}</DialogTitle>
          <DialogContent className={s.form}>
            <RadioGroup
              value={kind}
              layout="horizontal"
              aria-label={t('Transfer_Kind')}
              onChange={(_e, d) => {
                setKind(d.value as 'queue' | 'agent');
                setChosen('');
              }}
            >
              <Radio value="queue" label={t('Transfer_ToQueue')} />
              <Radio value="agent" label={t('Transfer_ToAgent')} />
            </RadioGroup>
            {failed ? (
              <Caption1 role="alert">{t('Load_Failed')}</Caption1>
            ) : loading ? (
              <Spinner size="tiny" label={t('Loading')} />
            ) : options.length === 0 ? (
              <Caption1>{kind === 'queue' ? t('Transfer_NoQueues') : t('Consult_NoneAvailable')}</Caption1>
            ) : (
              <Field label={kind === 'queue' ? t('Transfer_Queue') : t('Consult_Agent')}>
                <Select value={picked?.id} onChange={(_e, d) => setChosen(d.value)}>
                  {options.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onCancel}>
              {t('Cancel')}
            </Button>
            <Button appearance="primary" disabled={!picked} onClick={() => picked && onConfirm(kind, picked.id, picked.name)}>
              {t('Transfer_Confirm')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
