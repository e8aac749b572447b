import * as React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { VirtualList } from './virtual-list';

const items = Array.from({ length: 1000 }, (_, i) => `row ${i}`);
const key = (s: string) => s;
const renderRow = (s: string) => <span>{s}</span>;

function shown(): number[] {
  return screen.getAllByRole('listitem').map((li) => Number(li.getAttribute('aria-posinset')));
}

describe('VirtualList', () => {
  test('only rows near the viewport are in the DOM, and scrolling moves the window', () => {
    render(<VirtualList items={items} itemKey={key} renderItem={renderRow} estimateHeight={50} overscan={100} fallbackViewport={500} ariaLabel="rows" />);
    const first = shown();
    expect(first[0]).toBe(1);
    expect(first.length).toBeLessThanOrEqual(13);
    fireEvent.scroll(screen.getByRole('list', { name: 'rows' }), { target: { scrollTop: 25_000 } });
    const middle = shown();
    expect(middle[0]).toBeGreaterThan(490);
    expect(middle[middle.length - 1]).toBeLessThan(525);
    expect(screen.getByText('row 500')).toBeTruthy();
  });

  test('a chat list starts at the newest row', () => {
    render(<VirtualList items={items} itemKey={key} renderItem={renderRow} estimateHeight={50} overscan={0} fallbackViewport={500} stickToBottom ariaLabel="chat" />);
    const rows = shown();
    expect(rows[rows.length - 1]).toBe(1000);
    expect(rows.length).toBeLessThanOrEqual(11);
  });

  test('measured heights replace the estimate, so rows are placed where they really end', () => {
    const spy = jest.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(120);
    try {
      const { container } = render(<VirtualList items={items.slice(0, 5)} itemKey={key} renderItem={renderRow} estimateHeight={50} ariaLabel="m" />);
      const spacer = container.querySelector('[role="list"] > div') as HTMLElement;
      expect(spacer.style.height).toBe('600px');
      expect((screen.getAllByRole('listitem')[2] as HTMLElement).style.top).toBe('240px');
    } finally {
      spy.mockRestore();
    }
  });
});
