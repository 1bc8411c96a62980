import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import type { FieldError } from '../domain/domain-error.js';
import { ProblemException } from './problem.js';
import { sanitiseTextFields } from './text-input.js';

/** Chinese wording for the class-validator constraints the DTOs use; a DTO may also pass its own message. */
const CONSTRAINT_MESSAGES: Record<string, string> = {
  isString: '必须是文本',
  isNotEmpty: '不能为空',
  isDefined: '必须填写',
  isInt: '必须是整数',
  isNumber: '必须是数字',
  isPositive: '必须是正数',
  min: '数值过小',
  max: '数值过大',
  isBoolean: '必须是 true 或 false',
  isEnum: '不是允许的取值',
  isIn: '不是允许的取值',
  isDateString: '必须是 YYYY-MM-DD 格式的日期',
  isISO8601: '必须是 ISO 8601 格式的日期时间',
  maxLength: '长度超出限制',
  minLength: '长度不足',
  length: '长度不符合要求',
  matches: '格式不正确',
  isArray: '必须是列表',
  arrayMinSize: '至少需要一项',
  arrayMaxSize: '项目过多',
  isUUID: '必须是有效的编号 (UUID)',
  whitelistValidation: '不是可接受的字段，请删除',
  nestedValidation: '内容有误',
  isObject: '必须是对象（{...}）',
  maxDecimalPlaces: '小数位数过多',
};

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, english]) => ({
      field,
      code: constraint,
      // a DTO's own message is already Chinese; otherwise translate the constraint
      message: /[\u4e00-\u9fff]/.test(english) ? english : `${field}：${CONSTRAINT_MESSAGES[constraint] ?? '格式不正确'}`,
      ...(error.value !== undefined && typeof error.value !== 'object' ? { value: error.value } : {}),
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Nest's pipe, with the one text rule of every body (text-input.ts) applied before class-validator. */
class TextCheckingValidationPipe extends ValidationPipe {
  protected override async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    const textErrors = sanitiseTextFields(object);
    return [...textErrors, ...(await super.validate(object, validatorOptions))];
  }
}

export function createValidationPipe(): ValidationPipe {
  return new TextCheckingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ProblemException(400, 'validation-failed', '提交的数据有误，请按提示修改后重试', flattenValidationErrors(errors)),
  });
}
