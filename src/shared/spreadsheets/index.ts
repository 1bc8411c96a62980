// Spreadsheets in one place: the hardened streaming xlsx reader, the CSV reader, the cell-value helpers.
export { columnLetter, halfWidth, plainCellValue } from './cell-values.js';
export { readCsvRowBatches } from './csv-rows.js';
export { type CsvRefusals, type XlsxRefusals, ZIP_BOMB_CODE, zipBomb } from './refusals.js';
export { MAX_ENTRIES, MAX_RATIO, MAX_UNCOMPRESSED_BYTES, type ZipEntry, inspectXlsxContainer, readZipDirectory, verifyInflatedSizes } from './xlsx-container.js';
export { type SheetRow, type XlsxRowsOptions, readXlsxRowBatches } from './xlsx-rows.js';
