using System.Buffers.Binary;
using System.Text;

namespace UcjFlow.Core.Tests.Fixtures;

/// <summary>
/// Writes a minimal OLE2 compound file (version 3, 512-byte sectors, one FAT sector) holding the given streams.
/// An Office file encrypted with a password is exactly this container with "EncryptionInfo" and "EncryptedPackage"
/// streams, which is how the tests build one without a password tool. Streams are padded to 4096 bytes so they live
/// in regular sectors (no mini stream needed).
/// </summary>
public static class Ole2Container
{
    private const uint Free = 0xFFFFFFFF, EndOfChain = 0xFFFFFFFE, FatSector = 0xFFFFFFFD, NoStream = 0xFFFFFFFF;

    public static byte[] Build(params (string Name, byte[] Data)[] streams)
    {
        if (streams.Length > 3) throw new ArgumentException("at most 3 streams (one directory sector)");
        var sectors = new List<byte[]>();
        var fat = new uint[128];
        Array.Fill(fat, Free);
        fat[0] = FatSector;
        fat[1] = EndOfChain;
        var directory = new byte[512];
        WriteEntry(directory, 0, "Root Entry", 5, EndOfChain, 0, child: streams.Length > 0 ? 1u : NoStream, right: NoStream);
        var next = 2u;
        var starts = new List<(uint Start, int Size)>();
        foreach (var (_, data) in streams)
        {
            var size = Math.Max(4096, data.Length);
            var count = (size + 511) / 512;
            starts.Add((next, size));
            for (var i = 0; i < count; i++)
            {
                var sector = new byte[512];
                var from = i * 512;
                if (from < data.Length) data.AsSpan(from, Math.Min(512, data.Length - from)).CopyTo(sector);
                sectors.Add(sector);
                fat[next + i] = i == count - 1 ? EndOfChain : (uint)(next + i + 1);
            }
            next += (uint)count;
            if (next > 127) throw new ArgumentException("streams too large for one FAT sector");
        }
        for (var i = 0; i < streams.Length; i++)
            WriteEntry(directory, i + 1, streams[i].Name, 2, starts[i].Start, starts[i].Size, NoStream,
                right: i + 1 < streams.Length ? (uint)(i + 2) : NoStream);

        using var ms = new MemoryStream();
        var header = new byte[512];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(0x18), 0x003E);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(0x1A), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(0x1C), 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(0x1E), 9);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(0x20), 6);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x2C), 1); // FAT sectors
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x30), 1); // first directory sector
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x38), 4096); // mini stream cutoff
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x3C), EndOfChain); // mini FAT
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x44), EndOfChain); // DIFAT
        for (var i = 0; i < 109; i++) BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(0x4C + i * 4), i == 0 ? 0 : Free);
        ms.Write(header);
        var fatBytes = new byte[512];
        for (var i = 0; i < 128; i++) BinaryPrimitives.WriteUInt32LittleEndian(fatBytes.AsSpan(i * 4), fat[i]);
        ms.Write(fatBytes);
        ms.Write(directory);
        foreach (var s in sectors) ms.Write(s);
        return ms.ToArray();
    }

    private static void WriteEntry(byte[] dir, int index, string name, byte type, uint start, long size, uint child, uint right)
    {
        var e = dir.AsSpan(index * 128, 128);
        var nameBytes = Encoding.Unicode.GetBytes(name);
        nameBytes.CopyTo(e);
        BinaryPrimitives.WriteUInt16LittleEndian(e[64..], (ushort)(nameBytes.Length + 2));
        e[66] = type;
        e[67] = 1; // black
        BinaryPrimitives.WriteUInt32LittleEndian(e[68..], NoStream); // left
        BinaryPrimitives.WriteUInt32LittleEndian(e[72..], right);
        BinaryPrimitives.WriteUInt32LittleEndian(e[76..], child);
        BinaryPrimitives.WriteUInt32LittleEndian(e[116..], start);
        BinaryPrimitives.WriteUInt64LittleEndian(e[120..], (ulong)size);
    }
}
