import * as React from 'react';
import { render, screen } from '@testing-library/react';
import { ControlShell } from './control-shell';

function Broken(): React.ReactElement {
  throw new Error('bad row');
}

test('a control that throws while rendering shows one line instead of blanking the form', () => {
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    render(
      <div>
        <p>rest of the form</p>
        <ControlShell errorText="This control ran into a problem.">
          <Broken />
        </ControlShell>
      </div>,
    );
    expect(screen.getByRole('alert').textContent).toBe('This control ran into a problem.');
    expect(screen.getByText('rest of the form')).toBeTruthy();
  } finally {
    quiet.mockRestore();
  }
});
