import { BadRequestException } from '@nestjs/common';

/** A 400 whose body names the field (`field`) and says what it must be, so a client can fix its request. */
export function invalidField(field: string, expectation: string, value?: unknown): BadRequestException {
  const got = value === undefined ? 'it is missing' : `got ${JSON.stringify(value)?.slice(0, 60)}`;
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', field, message: `${field} must be ${expectation} (${got}).` });
}
