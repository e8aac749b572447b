import * as React from 'react';
import { Badge, Button, Caption1, useId, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, Switch, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { TemplateKind, fillTemplate, type ComposeMode, type TemplateData, type TemplateRow, type Translate } from '../../../shared/src';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS, padding: tokens.spacingHorizontalM, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  noteMode: { backgroundColor: tokens.colorPaletteYellowBackground1 },
  // Controls keep their words on one line (a label wrapped under a switch reads as two controls);
  // when the pane is narrower than all of them, whole controls move to the next row.
  bar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: tokens.spacingHorizontalXS, rowGap: tokens.spacingVerticalXS },
  nowrap: { whiteSpace: 'nowrap', flexShrink: 0 },
  button: { whiteSpace: 'nowrap', flexShrink: 0, minWidth: 'auto' },
  // Fluent pads a switch's label on both sides; beside two buttons in a narrow pane that room is missed.
  switchLabel: { whiteSpace: 'nowrap', paddingInlineStart: tokens.spacingHorizontalXS, paddingInlineEnd: tokens.spacingHorizontalXS },
  spacer: { flexGrow: 1 },
  textarea: { width: '100%' },
  hint: { color: tokens.colorPaletteMarigoldForeground2 },
  noteOnly: { color: tokens.colorNeutralForeground2 },
  refused: { color: tokens.colorPaletteRedForeground1, overflowWrap: 'anywhere' },
});

export interface ComposeBoxProps {
  t: Translate;
  /** reply: to the customer, a note a switch away; note: internal notes only; none: nothing may be written. */
  mode: ComposeMode;
  /** Why notes only: the agent is consulting (else the conversation is in wrap-up). */
  consulting: boolean;
  templates: readonly TemplateRow[];
  templateData: TemplateData;
  /** Resolves to '' once stored, else what to tell the agent; the text stays in the box then. */
  onSend: (text: string, internal: boolean) => Promise<string>;
  /** The agent typed (a reply when `internal` is false): the pane may tell the customer. */
  onTyping?: (internal: boolean) => void;
}

export function ComposeBox(props: ComposeBoxProps): React.ReactElement {
  const { t, mode, templates } = props;
  const s = useStyles();
  const [text, setText] = React.useState('');
  const [noteSwitch, setNoteSwitch] = React.useState(false);
  const [sending, setSending] = React.useState(false);
  const [refused, setRefused] = React.useState('');
  const [missing, setMissing] = React.useState<string[]>([]);
  const area = React.useRef<HTMLTextAreaElement>(null);
  const helpId = useId('swb-compose-help');
  const whyId = useId('swb-compose-why');
  const disabled = mode === 'none';
  // In note mode there is no choice to make: everything written is an internal note.
  const internal = mode === 'note' || (mode === 'reply' && noteSwitch);

  const send = async () => {
    const body = text.trim();
    if (!body || sending || disabled) return;
    setSending(true);
    setRefused('');
    const why = await props.onSend(body, internal);
    setSending(false);
    if (why) setRefused(why);
    else {
      setText('');
      setMissing([]);
    }
    area.current?.focus();
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter is a new line; never send mid-composition (IME input).
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  const applyTemplate = (tpl: TemplateRow) => {
    const filled = fillTemplate(tpl.swb_body, props.templateData);
    setText((current) => (current.trim() ? `${current.trimEnd()} ${filled.text}` : filled.text));
    setMissing(filled.missing);
    area.current?.focus();
  };

  const quick = templates.filter((x) => x.swb_kind === TemplateKind.QuickReply);
  const full = templates.filter((x) => x.swb_kind !== TemplateKind.QuickReply);
  const noteOnlyText = mode === 'note' ? (props.consulting ? t('Compose_NoteOnlyConsult') : t('Compose_NoteOnlyWrapUp')) : '';

  return (
    <div className={`${s.root} ${internal ? s.noteMode : ''}`}>
      {noteOnlyText && (
        <Caption1 id={whyId} className={s.noteOnly}>
          {noteOnlyText}
        </Caption1>
      )}
      {refused && (
        <Caption1 role="alert" className={s.refused}>
          {refused}
        </Caption1>
      )}
      <Textarea
        ref={area}
        className={s.textarea}
        resize="vertical"
        value={text}
        disabled={disabled}
        onChange={(_e, d) => {
          setText(d.value);
          if (d.value.trim()) props.onTyping?.(internal);
        }}
        onKeyDown={onKeyDown}
        placeholder={internal ? t('Compose_NotePlaceholder') : t('Compose_Placeholder')}
        aria-label={internal ? t('Compose_NoteLabel') : t('Compose_Label')}
        aria-describedby={noteOnlyText ? `${whyId} ${helpId}` : helpId}
      />
      <Caption1 id={helpId}>{t('Compose_Help')}</Caption1>
      {missing.length > 0 && (
        <Caption1 className={s.hint} role="status">
          {t('Compose_FillIn', missing.join(', '))}
        </Caption1>
      )}
      <div className={s.bar}>
        {mode === 'note' ? (
          <Badge className={s.nowrap} appearance="tint" color="warning">
            {t('Message_InternalTag')}
          </Badge>
        ) : (
          <Switch className={s.nowrap} checked={noteSwitch} disabled={disabled} onChange={(_e, d) => setNoteSwitch(d.checked)} label={{ children: t('Compose_InternalToggle'), className: s.switchLabel }} />
        )}
        {/* Templates speak to the customer: nothing to offer where only notes are written. */}
        {mode !== 'note' && (
          <Menu>
            <MenuTrigger disableButtonEnhancement>
              <Button size="small" className={s.button} disabled={disabled || templates.length === 0}>
                {t('Compose_QuickReplies')}
              </Button>
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                {[...quick, ...full].map((tpl) => (
                  <MenuItem key={tpl.swb_messagetemplateid} onClick={() => applyTemplate(tpl)}>
                    {tpl.swb_name}
                  </MenuItem>
                ))}
              </MenuList>
            </MenuPopover>
          </Menu>
        )}
        <span className={s.spacer} />
        <Button size="small" className={s.button} appearance="primary" disabled={disabled || sending || !text.trim()} onClick={() => void send()}>
          {internal ? t('Compose_AddNote') : t('Compose_Send')}
        </Button>
      </div>
    </div>
  );
}
