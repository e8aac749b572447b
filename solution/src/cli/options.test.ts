import { parseOptions } from './options';

const kinds = { 'functions-url': 'value', 'dry-run': 'flag' } as const;

describe('script options', () => {
  it('take --name value, --name=value and flags', () => {
    expect(parseOptions(['--functions-url', 'https://a.example.com', '--dry-run'], kinds, 'usage')).toEqual({ 'functions-url': 'https://a.example.com', 'dry-run': true });
    expect(parseOptions(['--functions-url=https://a.example.com'], kinds, 'usage')).toEqual({ 'functions-url': 'https://a.example.com' });
  });

  it('refuse a typo, a missing value and a value given to a flag, with the usage', () => {
    expect(() => parseOptions(['--function-url', 'x'], kinds, 'usage: pack')).toThrow("unknown argument '--function-url'\nusage: pack");
    expect(() => parseOptions(['--functions-url'], kinds, 'usage')).toThrow('--functions-url needs a value');
    expect(() => parseOptions(['--functions-url', '--dry-run'], kinds, 'usage')).toThrow('--functions-url needs a value');
    expect(() => parseOptions(['--dry-run=yes'], kinds, 'usage')).toThrow('--dry-run takes no value');
  });
});
