import * as React from 'react';

interface Props {
  message: string;
  children?: React.ReactNode;
}

/**
 * A rendering fault in a control must not blank the agent's whole form: the control
 * shows one line instead and the rest of the page keeps working.
 */
export class ErrorBoundary extends React.Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): React.ReactNode {
    return this.state.failed ? <div role="alert">{this.props.message}</div> : this.props.children;
  }
}
