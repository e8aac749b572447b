import * as React from 'react';
import { FluentProvider, webLightTheme, type Theme } from '@fluentui/react-components';
import { ErrorBoundary } from './error-boundary';

export interface ShellProps {
  theme?: Theme;
  rtl?: boolean;
  className?: string;
  /** Shown instead of the control if rendering throws. */
  errorText: string;
  children?: React.ReactNode;
}

/**
 * The host's Fluent theme when it gives one (context.fluentDesignLanguage), the
 * standard light theme otherwise (canvas apps, the test harness).
 */
export function ControlShell(props: ShellProps): React.ReactElement {
  return (
    <FluentProvider theme={props.theme ?? webLightTheme} dir={props.rtl ? 'rtl' : 'ltr'} className={props.className} style={{ height: '100%', background: 'transparent' }}>
      <ErrorBoundary message={props.errorText}>{props.children}</ErrorBoundary>
    </FluentProvider>
  );
}

export function themeOf(context: Pick<ComponentFramework.Context<unknown>, 'fluentDesignLanguage'>): Theme | undefined {
  return context.fluentDesignLanguage?.tokenTheme as Theme | undefined;
}
