import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CommandAcceptedDto, FieldErrorDto, ProblemDto, completeDocument } from './openapi.js';

/** Chinese descriptions of the tags (`@ApiTags(name)`); a tag not listed is described by its name. */
export const API_TAGS: Record<string, string> = {
  system: '运行状态：存活与就绪检查（无需登录）',
  auth: '登录、退出、当前账号与修改密码',
  accounts: '账号管理：创建、查询、踢出、重置密码、安全记录',
  organisation: '机构与区划：机构代码库同步、机构列表、办园信息备案、无证机构、行政区划',
  settings: '省级业务开关与业务时间窗口',
  records: '幼儿学籍：录入、修改、删除、提交、审核、关键信息变更、查询、模板导入',
  'duplicate cases (问题学籍)': '问题学籍（省内查重发现的重复）：佐证、审核、强制删除、仲裁',
  sharing: '数据共享：接口客户端（客户端凭证授权）、变更订阅（按游标分页与 SSE 实时推送）',
  classes: '班级：建班、分班与调班、留班/留园标记、升级、整班毕业、分班模板导入',
  leaves: '离园：正常离园、发生意外离园（注销）与历史离园',
  restorations: '幼儿信息恢复申请：机构申请，区县审核',
  transfers: '幼儿调转：按学籍号查询、转入申请、转出园同意或不同意、撤回、办结；待办队列、调入调出列表与超期（30 个工作日）',
  reports: '统计报表：实时汇总、月度快照、环比与同比、按日志重算与“计入此后更正”对照，逐级下钻（领导账号只读）',
  exports: '数据导出：各级导出管辖范围内的汇总，机构导出本园幼儿数据（xlsx，后台任务），导出记录',
  todos: '待办事项：机构每月 25 日前完成幼儿信息更新等提醒',
  'change declarations (异动申报)': '异动申报：省级（或经授权的县级）设置异动类型，幼儿园申报，县级 5 个工作日内审核或阅知，超期统计',
  'funding projects (学前教育项目)': '学前教育项目：中央财政奖补资金，各级项目资金（分）与进度按月填报，辖区合计、月末数据、待办与导出',
  handover: '学籍接续（小学）：新生名单导入、与学前学籍匹配、确认、补录与接续、未查到导出，各级接续进度；学籍系统读取未查到的新生',
  audit: '幼儿个人信息查阅审计：谁在何时、从何地址、经哪个接口查阅了哪名幼儿的完整信息（区县及以上系统管理员）',
};

/** The OpenAPI document of the running app (served at /api/v1/openapi.json). */
export function buildApiDocument(app: INestApplication, tags: Record<string, string>) {
  const config = new DocumentBuilder()
    .setTitle('全国学前教育管理信息系统 API')
    .setDescription(
      '全国学前教育管理信息系统（幼儿学籍）后端接口。每个命令返回对象事件流的版本号（ETag）和日志位置（X-Log-Position）；' +
        '修改时提交 `If-Match` 可拒绝基于旧版本的修改（412），查询时提交 `X-Min-Position` 可读到自己刚写入的数据。' +
        '错误均为 RFC 9457 problem details（application/problem+json），含稳定的英文 `code` 和可直接展示的中文 `message`。',
    )
    .setVersion('1')
    // the session token is opaque (a random string looked up server-side), not a JWT
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'POST /api/v1/auth/login 返回的会话令牌（不透明字符串，不是 JWT）' })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto, FieldErrorDto, CommandAcceptedDto] });
  return completeDocument(document, tags);
}
