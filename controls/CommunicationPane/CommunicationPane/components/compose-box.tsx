import * as React from 'react';
import { Button, Caption1, useId, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, Switch, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { TemplateKind, fillTemplate, type TemplateData, type TemplateRow, type Translate } from '../../../shared/src';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS, padding: tokens.spacingHorizontalM, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  noteMode: { backgroundColor: tokens.colorPaletteYellowBackground1 },
  bar: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS },
  spacer: { flexGrow: 1 },
  textarea: { width: '100%' },
  hint: { color: tokens.colorPaletteMarigoldForeground2 },
});

export interface ComposeBoxProps {
  t: Translate;
  disabled: boolean;
  templates: readonly TemplateRow[];
  templateData: TemplateData;
  onSend: (text: string, internal: boolean) => Promise<boolean>;
}

export function ComposeBox(props: ComposeBoxProps): React.ReactElement {
  const { t, disabled, templates } = props;
  const s = useStyles();
  const [text, setText] = React.useState('');
  const [internal, setInternal] = React.useState(false);
  const [sending, setSending] = React.useState(false);
  const [missing, setMissing] = React.useState<string[]>([]);
  const area = React.useRef<HTMLTextAreaElement>(null);
  const helpId = useId('swb-compose-help');

  const send = async () => {
    const body = text.trim();
    if (!body || sending || disabled) return;
    setSending(true);
    const ok = await props.onSend(body, internal);
    setSending(false);
    if (ok) {
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

  return (
    <div className={`${s.root} ${internal ? s.noteMode : ''}`}>
      <Textarea
        ref={area}
        className={s.textarea}
        resize="vertical"
        value={text}
        disabled={disabled}
        onChange={(_e, d) => setText(d.value)}
        onKeyDown={onKeyDown}
        placeholder={internal ? t('Compose_NotePlaceholder') : t('Compose_Placeholder')}
        aria-label={internal ? t('Compose_NoteLabel') : t('Compose_Label')}
        aria-describedby={helpId}
      />
      <Caption1 id={helpId}>{t('Compose_Help')}</Caption1>
      {missing.length > 0 && (
        <Caption1 className={s.hint} role="status">
          {t('Compose_FillIn', missing.join(', '))}
        </Caption1>
      )}
      <div className={s.bar}>
        <Switch checked={internal} disabled={disabled} onChange={(_e, d) => setInternal(d.checked)} label={t('Compose_InternalToggle')} />
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button disabled={disabled || templates.length === 0}>{t('Compose_QuickReplies')}</Button>
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
        <span className={s.spacer} />
        <Button appearance="primary" disabled={disabled || sending || !text.trim()} onClick={() => void send()}>
          {internal ? t('Compose_AddNote') : t('Compose_Send')}
        </Button>
      </div>
    </div>
  );
}
