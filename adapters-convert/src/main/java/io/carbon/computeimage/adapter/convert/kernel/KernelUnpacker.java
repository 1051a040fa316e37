package io.carbon.computeimage.adapter.convert.kernel;

import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.zstd.ZstdInputStream;
import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.fs.UnsupportedFilesystemIOException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Produces the uncompressed kernel micro-VM monitors need: the ELF {@code vmlinux} inside an x86
 * bzImage (gzip, xz, lzma, lz4 or zstd payload, found from the boot protocol header), and the raw
 * arm64 {@code Image} from a gzip kernel or an EFI zboot image (gzip or zstd payload).
 */
public final class KernelUnpacker {
  /** The kind of uncompressed kernel produced. */
  public enum Kind {
    /** An x86 ELF vmlinux. */
    VMLINUX("vmlinux"),
    /** A raw arm64 Image. */
    IMAGE("Image");

    private final String fileName;

    Kind(String fileName) {
      this.fileName = fileName;
    }

    /** @return the conventional file name */
    public String fileName() {
      return fileName;
    }
  }

  private static final long MAX_OUTPUT = 512L << 20;

  private KernelUnpacker() {}

  /**
   * Tells which uncompressed kernel a kernel file yields.
   *
   * @param kernel the kernel file's bytes
   * @return the kind
   * @throws IOException when the format is not recognized
   */
  public static Kind kindOf(byte[] kernel) throws IOException {
    if (isBzImage(kernel)) {
      return Kind.VMLINUX;
    }
    if (isGzip(kernel, 0) || isZboot(kernel) || isArm64Image(kernel)) {
      return Kind.IMAGE;
    }
    throw new UnsupportedFilesystemIOException("the kernel is neither an x86 bzImage nor an arm64 "
        + "Image, Image.gz or EFI zboot image");
  }

  /**
   * Writes the uncompressed kernel.
   *
   * @param kernel the kernel file's bytes
   * @param out where to write the uncompressed kernel
   * @return the kind written
   * @throws IOException on a malformed or unsupported kernel, or a write failure
   */
  public static Kind unpack(byte[] kernel, OutputStream out) throws IOException {
    if (isBzImage(kernel)) {
      unpackBzImage(kernel, out);
      return Kind.VMLINUX;
    }
    if (isArm64Image(kernel) && !isZboot(kernel)) {
      out.write(kernel);
      return Kind.IMAGE;
    }
    byte[] image;
    if (isZboot(kernel)) {
      image = unpackZboot(kernel);
    } else if (isGzip(kernel, 0)) {
      image = gunzip(kernel, 0, kernel.length);
    } else {
      kindOf(kernel);
      throw new IllegalStateException("unreachable");
    }
    if (!isArm64Image(image)) {
      throw new MalformedDiskIOException("the decompressed kernel is not an arm64 Image (no ARMd "
          + "magic at 0x38)");
    }
    out.write(image);
    return Kind.IMAGE;
  }

  // ---------------------------------------------------------------- x86

  static boolean isBzImage(byte[] k) {
    return k.length > 0x270 && k[0x202] == 'H' && k[0x203] == 'd' && k[0x204] == 'r'
        && k[0x205] == 'S';
  }

  private static void unpackBzImage(byte[] k, OutputStream out) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(k).order(ByteOrder.LITTLE_ENDIAN);
    int version = b.getShort(0x206) & 0xFFFF;
    if (version < 0x0208) {
      throw new UnsupportedFilesystemIOException(String.format(
          "bzImage boot protocol %x.%02x has no payload fields (2.08 or later needed)",
          version >> 8, version & 0xFF));
    }
    int setupSects = k[0x1F1] & 0xFF;
    if (setupSects == 0) {
      setupSects = 4;
    }
    long pmStart = (setupSects + 1L) * 512;
    long payloadOffset = b.getInt(0x248) & 0xFFFFFFFFL;
    long payloadLength = b.getInt(0x24C) & 0xFFFFFFFFL;
    long start = pmStart + payloadOffset;
    if (start >= k.length || payloadLength > k.length - start || payloadLength < 16) {
      throw new MalformedDiskIOException("bzImage payload at " + start + " (" + payloadLength
          + " bytes) lies outside the " + k.length + "-byte kernel");
    }
    int s = (int) start;
    int len = (int) payloadLength;
    try (InputStream in = decompressor(k, s, len)) {
      copyElf(in, out);
    }
  }

  private static InputStream decompressor(byte[] k, int s, int len) throws IOException {
    InputStream raw = new ByteArrayInputStream(k, s, len);
    if (isGzip(k, s)) {
      return new GZIPInputStream(raw, 1 << 16);
    }
    if (startsWith(k, s, new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0})) {
      return new XZInputStream(raw);
    }
    if (startsWith(k, s, new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD})) {
      return new ZstdInputStream(raw);
    }
    if (startsWith(k, s, new byte[] {0x02, 0x21, 0x4C, 0x18})) {
      return new ByteArrayInputStream(lz4Legacy(k, s, len));
    }
    if (k[s] == 0x5D && k[s + 1] == 0 && k[s + 2] == 0) {
      return new LZMAInputStream(raw);
    }
    throw new UnsupportedFilesystemIOException(String.format(
        "bzImage payload compression with magic %02x %02x %02x %02x is not supported (gzip, xz, "
            + "lzma, lz4 and zstd are)", k[s], k[s + 1], k[s + 2], k[s + 3]));
  }

  /** The lz4 "legacy" frame the kernel uses: magic, then (u32 size, block) pairs. */
  private static byte[] lz4Legacy(byte[] k, int s, int len) throws IOException {
    final int blockMax = 8 << 20;
    ByteArrayOutputStream out = new ByteArrayOutputStream(len * 3);
    Lz4Decompressor d = new Lz4Decompressor();
    byte[] block = new byte[blockMax];
    int p = s + 4;
    int end = s + len;
    while (p + 4 <= end) {
      long size = ByteBuffer.wrap(k, p, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
      if (size == 0x184C2102L) {
        p += 4;
        continue;
      }
      if (size == 0 || size > end - p - 4) {
        break; // the trailing uncompressed-size word
      }
      int n;
      try {
        n = d.decompress(k, p + 4, (int) size, block, 0, blockMax);
      } catch (RuntimeException e) {
        throw new MalformedDiskIOException("corrupt lz4 block in the kernel payload", e);
      }
      if (out.size() + (long) n > MAX_OUTPUT) {
        throw new MalformedDiskIOException("the kernel payload decompresses to over "
            + MAX_OUTPUT + " bytes");
      }
      out.write(block, 0, n);
      p += 4 + (int) size;
    }
    return out.toByteArray();
  }

  /**
   * Copies an ELF image from a decompressed payload, stopping at the ELF's end (the payload may
   * carry relocation data or a size word after it).
   */
  private static void copyElf(InputStream in, OutputStream out) throws IOException {
    byte[] head = in.readNBytes(64 * 1024);
    if (head.length < 64 || head[0] != 0x7F || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
      throw new MalformedDiskIOException("the bzImage payload does not decompress to an ELF file");
    }
    long end = elfEnd(head);
    if (end > MAX_OUTPUT) {
      throw new MalformedDiskIOException("the kernel ELF claims " + end + " bytes");
    }
    int first = (int) Math.min(end, head.length);
    out.write(head, 0, first);
    long left = end - first;
    byte[] buf = new byte[1 << 16];
    while (left > 0) {
      int n;
      try {
        n = in.read(buf, 0, (int) Math.min(buf.length, left));
      } catch (EOFException e) {
        n = -1;
      } catch (RuntimeException e) {
        throw new MalformedDiskIOException("corrupt kernel payload: " + e.getMessage(), e);
      }
      if (n < 0) {
        throw new MalformedDiskIOException("the kernel payload ends " + left
            + " bytes before the end of its ELF image");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static long elfEnd(byte[] h) throws IOException {
    boolean is64 = h[4] == 2;
    ByteBuffer b = ByteBuffer.wrap(h).order(h[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    long phoff = is64 ? b.getLong(0x20) : b.getInt(0x1C) & 0xFFFFFFFFL;
    long shoff = is64 ? b.getLong(0x28) : b.getInt(0x20) & 0xFFFFFFFFL;
    int phentsize = b.getShort(is64 ? 0x36 : 0x2A) & 0xFFFF;
    int phnum = b.getShort(is64 ? 0x38 : 0x2C) & 0xFFFF;
    int shentsize = b.getShort(is64 ? 0x3A : 0x2E) & 0xFFFF;
    int shnum = b.getShort(is64 ? 0x3C : 0x30) & 0xFFFF;
    long end = Math.max(64, shoff + (long) shentsize * shnum);
    if (phoff < 0 || phoff + (long) phentsize * phnum > h.length) {
      throw new MalformedDiskIOException("kernel ELF program headers lie outside its first 64 KiB");
    }
    for (int i = 0; i < phnum; i++) {
      int p = (int) phoff + i * phentsize;
      long off = is64 ? b.getLong(p + 8) : b.getInt(p + 4) & 0xFFFFFFFFL;
      long filesz = is64 ? b.getLong(p + 0x20) : b.getInt(p + 0x10) & 0xFFFFFFFFL;
      if (off < 0 || filesz < 0) {
        throw new MalformedDiskIOException("kernel ELF program header " + i + " is malformed");
      }
      end = Math.max(end, off + filesz);
    }
    return end;
  }

  // ---------------------------------------------------------------- arm64

  static boolean isArm64Image(byte[] k) {
    return k.length > 0x40 && k[0x38] == 'A' && k[0x39] == 'R' && k[0x3A] == 'M' && k[0x3B] == 0x64;
  }

  static boolean isZboot(byte[] k) {
    return k.length > 0x40 && k[0] == 'M' && k[1] == 'Z' && k[4] == 'z' && k[5] == 'i'
        && k[6] == 'm' && k[7] == 'g';
  }

  private static byte[] unpackZboot(byte[] k) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(k).order(ByteOrder.LITTLE_ENDIAN);
    long off = b.getInt(8) & 0xFFFFFFFFL;
    long size = b.getInt(12) & 0xFFFFFFFFL;
    int nameEnd = 0x18;
    while (nameEnd < 0x18 + 32 && k[nameEnd] != 0) {
      nameEnd++;
    }
    String comp = new String(k, 0x18, nameEnd - 0x18, StandardCharsets.US_ASCII);
    if (off >= k.length || size > k.length - off) {
      throw new MalformedDiskIOException("EFI zboot payload at " + off + " (" + size
          + " bytes) lies outside the kernel");
    }
    switch (comp) {
      case "gzip":
        // the stated size excludes the 4-byte ISIZE trailer
        return gunzip(k, (int) off, (int) Math.min(size + 4, k.length - off));
      case "zstd":
      case "zstd22":
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(k, (int) off, (int) size))) {
          return readBounded(in);
        }
      default:
        throw new UnsupportedFilesystemIOException("EFI zboot compression '" + comp
            + "' is not supported (gzip and zstd are)");
    }
  }

  private static byte[] gunzip(byte[] k, int off, int len) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(k, off, len), 1 << 16)) {
      return readBounded(in);
    }
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    while (true) {
      int n;
      try {
        n = in.read(buf);
      } catch (EOFException e) {
        break; // a truncated trailer; the caller checks the Image magic
      } catch (RuntimeException e) {
        throw new MalformedDiskIOException("corrupt compressed kernel: " + e.getMessage(), e);
      }
      if (n < 0) {
        break;
      }
      if (out.size() + (long) n > MAX_OUTPUT) {
        throw new MalformedDiskIOException("the kernel decompresses to over " + MAX_OUTPUT
            + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static boolean isGzip(byte[] k, int off) {
    return k.length > off + 2 && (k[off] & 0xFF) == 0x1F && (k[off + 1] & 0xFF) == 0x8B;
  }

  private static boolean startsWith(byte[] k, int off, byte[] magic) {
    if (k.length < off + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (k[off + i] != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
