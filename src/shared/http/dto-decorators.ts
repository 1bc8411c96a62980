import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsObject, IsOptional, ValidateNested } from 'class-validator';

/**
 * A nested DTO field. `ValidateNested` alone passes `[]` (an empty list of nothing), `[[...]]`
 * and a missing value, which then reached the event schema as `{}` and failed there with a 500
 * (issue 20, item 8): the value must be one object.
 */
export function NestedObject(type: () => new () => object, label: string, options: { optional?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    ...(options.optional ? [IsOptional()] : [IsDefined({ message: `请填写${label}` })]),
    IsObject({ message: `${label}应为一个对象 {...}` }),
    ValidateNested(),
    Type(type),
  );
}

/** A list of nested DTOs: each item one object (not a list, not a text). */
export function NestedObjects(type: () => new () => object, label: string, maxItems: number, options: { optional?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    ...(options.optional ? [IsOptional()] : [IsDefined({ message: `请填写${label}` })]),
    IsArray({ message: `${label}应为列表 [...]` }),
    ArrayMaxSize(maxItems, { message: `${label}最多 ${maxItems} 项` }),
    IsObject({ each: true, message: `${label}的每一项应为一个对象 {...}` }),
    ValidateNested({ each: true }),
    Type(type),
  );
}
