import { ApiProperty } from '@nestjs/swagger';

const nullableString = (description: string) => ApiProperty({ type: String, nullable: true, description });

/** One child's personal data shown unmasked to one reader, by one route from one address, on one Beijing day (ADR 0029): how often, first and last. */
export class PersonalDataReadDto {
  @ApiProperty({ format: 'uuid', description: '最近一次查阅的编号（同一次应答的各条记录相同）' }) readId!: string;
  @ApiProperty({ format: 'uuid', description: '被查阅的学籍记录' }) recordId!: string;
  @ApiProperty({ example: '1141010001', description: '记录所在幼儿园' }) institutionCode!: string;
  @ApiProperty({ example: '410102', description: '记录所在区县' }) divisionCode!: string;
  @ApiProperty({ description: '查阅账号' }) accountId!: string;
  @nullableString('查阅账号的用户名') username!: string | null;
  @nullableString('查阅账号的姓名') realName!: string | null;
  @ApiProperty({ example: 'review', description: '查阅账号的角色' }) role!: string;
  @ApiProperty({ example: '1141010001', description: '查阅账号所属单位' }) organisationId!: string;
  @ApiProperty({ example: 'GET /api/v1/records/:id', description: '查阅途径（接口路由，不含查询条件）' }) route!: string;
  @ApiProperty({ example: '203.0.113.7', description: '客户端地址' }) clientAddress!: string;
  @ApiProperty({ format: 'date-time', description: '当日最近一次查阅时间' }) readAt!: string;
  @ApiProperty({ format: 'date-time', description: '当日首次查阅时间' }) firstReadAt!: string;
  @ApiProperty({ type: Number, minimum: 1, description: '当日（北京时间）该账号经同一接口、从同一地址查阅该幼儿的次数' }) readCount!: number;
}
