import * as React from 'react';

const hidden: React.CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
};

/**
 * Screen readers announce what is written here. The list itself is virtualised, so rows
 * entering the DOM on scroll must not be announced; only this region speaks.
 */
export function LiveRegion(props: { message: string; politeness?: 'polite' | 'assertive' }): React.ReactElement {
  return (
    <div role="status" aria-live={props.politeness ?? 'polite'} aria-atomic="true" style={hidden} data-testid="live-region">
      {props.message}
    </div>
  );
}

export const visuallyHidden = hidden;
