using System.Buffers.Binary;
using System.Text;

namespace UcjFlow.Core.Roster.Reading;

/// <summary>
/// The stream names of an OLE2 compound file (the container of .xls and of password-encrypted .xlsx), read from its
/// directory without loading anything else. Tells an encrypted workbook ("EncryptedPackage") from an .xls ("Workbook")
/// from another OLE2 document (.doc, .msg) before ExcelDataReader sees it.
/// </summary>
internal static class CompoundFile
{
    private const uint EndOfChain = 0xFFFFFFFE;

    /// <summary>The names of the directory entries; throws <see cref="InvalidDataException"/> when the structure is broken.</summary>
    public static HashSet<string> ReadEntryNames(Stream stream)
    {
        var header = new byte[512];
        stream.Position = 0;
        stream.ReadExactly(header);
        var sectorShift = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x1E));
        if (sectorShift is not (9 or 12)) throw new InvalidDataException("bad sector size");
        var sectorSize = 1 << sectorShift;
        var fatSectorCount = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x2C));
        var firstDirSector = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x30));
        var firstDifatSector = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x44));
        // Sector n starts at (n + 1) * sectorSize: the header takes the first sector. A partial last sector counts,
        // so reading it fails as truncated rather than as "outside the file".
        var sectorCount = (stream.Length + sectorSize - 1) / sectorSize - 1;
        if (fatSectorCount > sectorCount) throw new InvalidDataException("FAT larger than file");

        // Where the FAT sectors are: the first 109 in the header, the rest in the DIFAT chain.
        var fatSectors = new List<uint>((int)fatSectorCount);
        for (var i = 0; i < 109 && fatSectors.Count < fatSectorCount; i++)
            fatSectors.Add(BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x4C + i * 4)));
        var sector = new byte[sectorSize];
        var difat = firstDifatSector;
        var guard = 0L;
        while (fatSectors.Count < fatSectorCount && difat < EndOfChain)
        {
            ReadSector(stream, difat, sector, sectorShift, sectorCount);
            for (var i = 0; i < sectorSize / 4 - 1 && fatSectors.Count < fatSectorCount; i++)
                fatSectors.Add(BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(i * 4)));
            difat = BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(sectorSize - 4));
            if (++guard > sectorCount) throw new InvalidDataException("DIFAT loop");
        }
        if (fatSectors.Count < fatSectorCount) throw new InvalidDataException("DIFAT short");

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var fatSector = new byte[sectorSize];
        var loadedFat = uint.MaxValue;
        var entriesPerFat = (uint)(sectorSize / 4);
        var dir = firstDirSector;
        guard = 0;
        while (dir != EndOfChain)
        {
            ReadSector(stream, dir, sector, sectorShift, sectorCount);
            for (var offset = 0; offset < sectorSize; offset += 128)
            {
                var type = sector[offset + 66];
                var nameBytes = BinaryPrimitives.ReadUInt16LittleEndian(sector.AsSpan(offset + 64));
                if (type == 0 || nameBytes < 2 || nameBytes > 64) continue;
                names.Add(Encoding.Unicode.GetString(sector, offset, nameBytes - 2));
            }
            var fatIndex = dir / entriesPerFat;
            if (fatIndex >= fatSectors.Count) throw new InvalidDataException("directory chain outside FAT");
            if (fatIndex != loadedFat)
            {
                ReadSector(stream, fatSectors[(int)fatIndex], fatSector, sectorShift, sectorCount);
                loadedFat = fatIndex;
            }
            dir = BinaryPrimitives.ReadUInt32LittleEndian(fatSector.AsSpan((int)(dir % entriesPerFat) * 4));
            if (++guard > sectorCount) throw new InvalidDataException("directory loop");
        }
        if (names.Count == 0) throw new InvalidDataException("empty directory");
        return names;
    }

    private static void ReadSector(Stream stream, uint index, byte[] buffer, int shift, long sectorCount)
    {
        if (index >= sectorCount) throw new InvalidDataException("sector outside file");
        stream.Position = ((long)index + 1) << shift;
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length) throw new InvalidDataException("truncated sector");
    }
}
