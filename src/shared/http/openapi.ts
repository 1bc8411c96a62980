import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';

/** One field a request got wrong (the `errors` of a 400). */
export class FieldErrorDto {
  @ApiProperty({ example: 'idNumber', description: '出错的字段（嵌套字段用点号，例如 guardians.0.phone）' }) field!: string;
  @ApiProperty({ example: 'id-number-check-digit', description: '稳定的英文错误代码' }) code!: string;
  @ApiProperty({ example: '身份证号校验位不正确', description: '中文说明' }) message!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: '提交的值（可能已脱敏）' }) value?: string | null;
}

/** RFC 9457 problem details, as every error leaves the service (shared/http/problem.filter.ts). */
export class ProblemDto {
  @ApiProperty({ example: 'urn:preschool-records:problem:record-not-found', description: '问题类型（urn:preschool-records:problem:<code>）' }) type!: string;
  @ApiProperty({ example: '未找到', description: 'HTTP 状态的中文名称' }) title!: string;
  @ApiProperty({ example: 404 }) status!: number;
  @ApiProperty({ example: '学籍记录不存在或不在您的管辖范围内', description: '中文说明，与 message 相同' }) detail!: string;
  @ApiPropertyOptional({ example: '/api/v1/records/0b6f...', description: '出错的请求地址' }) instance?: string;
  @ApiProperty({ example: 'record-not-found', description: '稳定的英文错误代码，客户端据此判断' }) code!: string;
  @ApiProperty({ example: '学籍记录不存在或不在您的管辖范围内', description: '可直接展示给用户的中文说明' }) message!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: '逐字段的错误（输入校验失败时）' }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ description: '请求编号（X-Correlation-Id），联系管理员时提供' }) correlationId?: string;
}

/** What every command answers (shared/http/command-response.ts). */
export class CommandAcceptedDto {
  @ApiProperty({ description: '被修改对象的编号' }) id!: string;
  @ApiProperty({ description: '对象事件流的版本号（亦在 ETag 中），修改时可用 If-Match 提交' }) revision!: number;
  @ApiProperty({ description: '事件日志位置（亦在 X-Log-Position 中），查询时用 X-Min-Position 读到自己的写入' }) position!: number;
  @ApiProperty({ type: [String], description: '本次记录的事件类型（无变化时为空）' }) events!: string[];
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: '请求有误：字段校验失败（errors 列出每个字段）或请求格式不正确',
  401: '未登录或会话已失效，请重新登录',
  403: '当前账号的角色或层级无权进行此操作',
  404: '对象不存在或不在您的管辖范围内',
  409: '与现有数据冲突（例如重复）',
  412: '对象已被他人修改（If-Match 版本过期），请刷新后重试',
  413: '提交的内容过大',
  415: '不支持的内容类型',
  422: '业务规则不允许（message 说明原因和下一步）',
  423: '业务当前未开放',
  428: '需要先修改密码',
  429: '请求过于频繁，请按 Retry-After 稍后重试',
  503: '服务暂时不可用',
};

const problemContent = () => ({ 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } });

/**
 * The 4xx answers of an operation, each an RFC 9457 problem (one shared `ProblemDto` component):
 * `@ApiProblems(403, 404, 422)`. 401 on authenticated routes and 400 on routes with a body are
 * added to every operation by `completeDocument`, so they need not be listed.
 */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) => ApiResponse({ status, description: PROBLEM_DESCRIPTIONS[status] ?? '请求被拒绝', content: problemContent() })),
  );
}

/** A page of a list (`{ items, nextCursor }`, shared/read-store Page) of `item`. */
export function ApiPage(item: new () => object, description = '一页结果；nextCursor 为 null 表示没有下一页'): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: { type: 'string', nullable: true, description: '下一页的 cursor 参数' },
        },
      },
    }),
  );
}

type Operation = { security?: unknown[]; parameters?: { in: string; name: string; description?: string }[]; requestBody?: unknown; responses: Record<string, unknown> };

/**
 * What holds for every operation, whoever wrote its controller: public routes say they need no
 * token, authenticated routes answer 401 and routes with a body answer 400 as problems, and a
 * header is listed once (Nest lists `@Headers('x-a')` beside `@ApiHeader({ name: 'X-A' })`).
 */
export function completeDocument(document: OpenAPIObject, tags: Record<string, string>): OpenAPIObject {
  const problem = { $ref: getSchemaPath(ProblemDto) };
  document.components ??= {};
  document.components.schemas ??= {};
  document.servers = [{ url: '/', description: '本服务' }];
  const used = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
      for (const tag of (op as { tags?: string[] }).tags ?? []) used.add(tag);
      const bearer = (op.security ?? []).length > 0;
      if (!bearer) op.security = [];
      const add = (status: number) => {
        op.responses[String(status)] ??= { description: PROBLEM_DESCRIPTIONS[status], content: { 'application/problem+json': { schema: problem } } };
      };
      // every error the service answers is problem+json: an error response documented without a body gets the schema
      for (const [status, response] of Object.entries(op.responses)) {
        const declared = response as { content?: Record<string, unknown>; description?: string };
        if (/^[45]\d\d$/.test(status) && !declared.content) declared.content = { 'application/problem+json': { schema: problem } };
      }
      if (bearer) add(401);
      if (op.requestBody) add(400);
      if (!Object.keys(op.responses).some((s) => s.startsWith('4'))) add(400);
      if (op.parameters) {
        const seen = new Map<string, number>();
        op.parameters = op.parameters.filter((p, i) => {
          const key = `${p.in}:${p.name.toLowerCase()}`;
          const before = seen.get(key);
          if (before === undefined) return seen.set(key, i), true;
          if (p.description && !op.parameters![before]!.description) op.parameters![before] = p;
          return false;
        });
      }
    }
  }
  document.tags = [...used].sort().map((name) => ({ name, description: tags[name] ?? name }));
  return document;
}

/** Who did something (event metadata), with the names an auditor reads (null for the system). */
export class ActorDto {
  @ApiProperty({ description: '账号编号（系统操作为 system）' }) accountId!: string;
  @ApiProperty({ example: 'review', description: '角色' }) role!: string;
  @ApiProperty({ example: '1141010001', description: '所属机构标识码或行政区划代码' }) organisationId!: string;
  @ApiProperty({ type: String, nullable: true, example: '1141010001-review', description: '账号名' }) username!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '王老师', description: '实名' }) realName!: string | null;
}
