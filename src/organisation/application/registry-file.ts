// Reading the uploaded institution registry (xlsx or UTF-8 CSV) with the kernel's spreadsheet
// readers: the same zip-bomb, size and layout checks and the same streaming read as the child
// import, with the refusals worded (and coded `registry-file-*`) as the sync has always
// answered. Only a zip bomb answers the kernel's own code, as it does for every upload.
import { type DomainError, refused, tooLarge, unsupported } from '../../shared/domain/domain-error.js';
import { type CsvRefusals, type SheetRow, type XlsxRefusals, readCsvRowBatches, readXlsxRowBatches } from '../../shared/spreadsheets/index.js';

const MAX_BYTES = 20 * 1024 * 1024;
export const MAX_REGISTRY_ROWS = 200_000;

const empty = (message: string): DomainError => refused('validation', 'registry-file-empty', message);
const unreadable = (): DomainError => unsupported('registry-file-unreadable', '无法读取该 Excel 文件，请另存为 .xlsx 或 .csv（UTF-8）后重新上传');
const wrongType = (what?: string): DomainError => unsupported('registry-file-type', `只接受 .xlsx 或 .csv（UTF-8）文件${what ? `：${what}` : ''}`);

const XLSX_REFUSALS: XlsxRefusals = {
  empty: () => empty('上传的文件是空的'),
  damaged: unreadable,
  unreadable,
  wrongType,
  noSheet: () => empty('Excel 文件中没有工作表'),
  bombAdvice: '请从机构代码系统重新导出文件，另存为 .xlsx 或 .csv（UTF-8）后上传',
};

const CSV_REFUSALS: CsvRefusals = {
  notText: () => wrongType(),
  notUtf8: () => unsupported('registry-file-encoding', 'CSV 文件不是 UTF-8 编码，请在 Excel 中“另存为 CSV UTF-8”后重新上传'),
  malformed: (row, problem) =>
    refused('validation', 'registry-file-malformed', `CSV 文件第 ${row} 行格式有误，未导入任何数据：${problem.message}。请改正后重新上传，或在 Excel 中另存为 .xlsx 后上传`, [
      { field: `第 ${row} 行`, code: problem.code, message: problem.message },
    ]),
};

const isZip = (file: Buffer): boolean => file.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

/**
 * The rows of the registry file, row 1 (the header) included, numbered as Excel shows them: the
 * first worksheet of an xlsx, or the records of a CSV. Refused before the first row when the
 * file is empty, over 20 MB, not readable or a zip bomb; refused when a row past
 * MAX_REGISTRY_ROWS data rows is reached.
 */
export async function* registryRows(file: Buffer): AsyncGenerator<SheetRow> {
  if (file.length === 0) throw empty('上传的文件是空的');
  if (file.length > MAX_BYTES) throw tooLarge('registry-file-too-large', '文件超过 20 MB，请拆分后上传');
  const batches = isZip(file) ? readXlsxRowBatches(file, { refusals: XLSX_REFUSALS }) : readCsvRowBatches(file, CSV_REFUSALS);
  for await (const batch of batches) {
    for (const row of batch) {
      if (row.row > MAX_REGISTRY_ROWS + 1) throw tooLarge('registry-file-too-large', `数据行超过 ${MAX_REGISTRY_ROWS} 行`);
      yield row;
    }
  }
}
