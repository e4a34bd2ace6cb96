import { redactUrl, serverOf } from './redact-url';

describe('redactUrl', () => {
  it.each([
    ['user-info password', 'postgres://app:s3cret@db:5432/app', 'postgres://app:***@db:5432/app'],
    ['unencoded @ in the password', 'postgres://app:s3cr@t@db:5432/x', 'postgres://app:***@db:5432/x'],
    ['password query parameter', 'postgres://db/x?user=a&password=topsecret', 'postgres://db/x?user=a&password=***'],
    ['sslpassword query parameter', 'postgres://app@db/x?sslpassword=topsecret&sslmode=require', 'postgres://app@db/x?sslpassword=***&sslmode=require'],
    ['both at once', 'postgresql://app:one@db/x?password=two', 'postgresql://app:***@db/x?password=***'],
    ['a redis URL', 'redis://:topsecret@cache:6379/0', 'redis://:***@cache:6379/0'],
    ['no password', 'postgres://app@db:5432/app', 'postgres://app@db:5432/app'],
    ['unencoded # in the password (does not parse)', 'postgres://app:pa#ss@db/x', 'postgres://app:***@db/x'],
    ['unencoded ? in a numeric-looking password (parses, wrongly)', 'postgres://app:123?word@db/x', 'postgres://app:***@db/x'],
    ['a key=value connection string', 'host=db user=app password=topsecret dbname=x', 'host=db user=app password=*** dbname=x'],
    ['a quoted key=value password', "host=db password='top secret' dbname=x", 'host=db password=*** dbname=x'],
    ['a bad scheme with a password', 'mysql://app:s3cr@t@db/app', 'mysql://app:***@db/app'],
    ['text that is no URL at all', 'app:topsecret@db', 'app:***@db'],
  ])('hides the %s', (_form, input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('over-masks rather than guesses when an @ sits outside the user-info', () => {
    expect(redactUrl('postgres://db:5432/x?application_name=a@b')).not.toContain('application_name=a');
  });
});

describe('serverOf', () => {
  it.each([
    ['postgres://app:s3cr@t@db:6543/x', 'db:6543'],
    ['postgres://app@db/x', 'db:5432'],
    ['postgres://app@localhost/x?host=/var/run/postgresql&port=5433', '/var/run/postgresql:5433'],
    ['not a url', 'unknown server'],
  ])('names %s as %s', (url, server) => {
    expect(serverOf(url)).toBe(server);
  });
});
