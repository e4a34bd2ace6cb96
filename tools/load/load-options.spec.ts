import { parseLoadOptions } from './load-options';

describe('parseLoadOptions', () => {
  it('defaults to 50 req/s for 30 s against the local demo', () => {
    expect(parseLoadOptions([])).toEqual({ url: `http://127.0.0.1:${process.env['PORT'] ?? 3000}`, rate: 50, durationS: 30, concurrency: 32, writeRatio: 0.1, seed: 1 });
  });

  it('reads every flag', () => {
    expect(parseLoadOptions(['--url', 'http://localhost:4000/', '--rate=200', '--duration', '5', '--concurrency', '8', '--write-ratio', '0.3', '--seed', '7'])).toEqual({
      url: 'http://localhost:4000',
      rate: 200,
      durationS: 5,
      concurrency: 8,
      writeRatio: 0.3,
      seed: 7,
    });
  });

  it.each([
    [['--url', 'http://example.com'], /only targets this machine/],
    [['--url', 'https://127.0.0.1:3000'], /only targets this machine/],
    [['--url', 'not a url'], /give a URL/],
    [['--rate', '0'], /--rate 0: give a whole number from 1 to 2000/],
    [['--duration', '3600'], /--duration 3600: give a whole number from 1 to 600/],
    [['--write-ratio', '2'], /--write-ratio 2: give a number from 0 to 1/],
    [['--rps', '10'], /Unknown argument "--rps"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseLoadOptions(argv)).toThrow(message);
  });
});
