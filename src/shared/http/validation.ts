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

/** Chinese names of fields whose DTO gives no Chinese description (messages name fields in Chinese). */
const FIELD_LABELS: Record<string, string> = {
  username: '账号', password: '密码', currentPassword: '原密码', newPassword: '新密码', realName: '实名', level: '层级', role: '角色',
  divisionCode: '行政区划代码', institutionCode: '机构标识码', accountIds: '账号编号', reason: '原因', enabled: '是否开启',
  opensAt: '开始时间', closesAt: '结束时间', recordIds: '记录编号', all: '全部提交', confirmOverAge: '超龄确认', confirmUnderAge: '低龄确认',
  recordId: '记录编号', version: '版本号', code: '代码', name: '名称', parent: '上级区划', status: '状态',
};

/** The Chinese name of a DTO field: its swagger description (up to a bracket or comma) or the table above. */
function labelOf(target: object | undefined, property: string): string {
  const meta = target ? (Reflect.getMetadata('swagger/apiModelProperties', Object.getPrototypeOf(target), property) as { description?: string } | undefined) : undefined;
  const described = meta?.description?.split(/[（(，,：:；;]/)[0]?.trim();
  if (described && /^[\u4e00-\u9fff]/.test(described) && described.length <= 12) return described;
  return FIELD_LABELS[property] ?? property;
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    let constraints = Object.entries(error.constraints ?? {});
    // a missing value gets one message (請填写…), not also the length and format rules it cannot break
    if ((error.value === undefined || error.value === null) && constraints.length > 1) {
      const first = constraints.find(([c]) => c === 'isDefined' || c === 'isString' || c === 'isArray') ?? constraints[0]!;
      constraints = [first];
    }
    const own = constraints.map(([constraint, english]) => ({
      field,
      code: constraint,
      // a DTO's own message is already Chinese; otherwise translate the constraint
      message: /[\u4e00-\u9fff]/.test(english) ? english : `${labelOf(error.target, error.property)}：${CONSTRAINT_MESSAGES[constraint] ?? '格式不正确'}`,
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
