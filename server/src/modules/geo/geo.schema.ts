import { Type } from '@sinclair/typebox';

export const OrgUnit = Type.Object({
  id: Type.String(),
  level: Type.String(),
  lgdCode: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  nameHi: Type.Union([Type.String(), Type.Null()]),
  parentId: Type.Union([Type.String(), Type.Null()]),
  path: Type.String(),
  stateLgd: Type.Union([Type.Integer(), Type.Null()]),
});

export const CodeParam = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 40, description: 'LGD code (optionally level:code), org unit id, or IN' }),
});

export const BoundaryQuery = Type.Object({ orgUnit: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false });
