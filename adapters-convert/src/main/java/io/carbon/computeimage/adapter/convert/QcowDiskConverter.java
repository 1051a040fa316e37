package io.carbon.computeimage.adapter.convert;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.block.RawFileDevice;
import io.carbon.computeimage.adapter.convert.block.SliceDevice;
import io.carbon.computeimage.adapter.convert.qcow2.Qcow2Header;
import io.carbon.computeimage.adapter.convert.qcow2.Qcow2Image;
import io.carbon.computeimage.adapter.convert.qcow2.ZstdDecoder;
import io.carbon.computeimage.adapter.convert.raw.OutputFile;
import io.carbon.computeimage.adapter.convert.vhd.VhdFooter;
import io.carbon.computeimage.ports.disk.ConversionResult;
import io.carbon.computeimage.ports.disk.DiskConverter;
import io.carbon.computeimage.ports.disk.Durability;
import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Converts qcow2 (v2/v3), raw and fixed VHD images to sparse raw or fixed VHD, in pure Java.
 * Decompression runs on all cores; memory stays bounded (a few dozen MiB of buffers whatever the
 * image size); the output is written under a temporary name and renamed into place when complete,
 * and removed on failure or cancellation.
 *
 * @since 0.1
 */
public final class QcowDiskConverter implements DiskConverter {
  /** Default unit of work: 2 MiB of guest data. */
  public static final int DEFAULT_UNIT = 2 << 20;

  private final int threads;
  private final int unitBytes;
  private final Clock clock;
  private final boolean sync;
  /** With sync on, data is written back in the background every this many bytes. */
  private static final long FLUSH_EVERY = 64L << 20;

  /** Uses every available core and flushes the output to disk before the rename. */
  public QcowDiskConverter() {
    this(Runtime.getRuntime().availableProcessors(), DEFAULT_UNIT, Clock.systemUTC(), true);
  }

  /**
   * Creates a converter with explicit settings.
   *
   * @param threads worker threads (at least 1)
   * @param unitBytes bytes of guest data per unit of work
   * @param clock the clock for VHD timestamps
   * @param sync whether to flush the output to stable storage before renaming it into place
   *     (crash safety; {@code qemu-img convert} does not flush by default)
   */
  public QcowDiskConverter(int threads, int unitBytes, Clock clock, boolean sync) {
    this.sync = sync;
    this.threads = Math.max(1, threads);
    this.unitBytes = Math.max(64 << 10, unitBytes);
    this.clock = clock;
  }

  @Override
  public String name() {
    return "qcow2-java";
  }

  @Override
  public Set<DiskFormat> readableFormats() {
    return EnumSet.of(DiskFormat.QCOW2, DiskFormat.RAW, DiskFormat.VHD_FIXED);
  }

  @Override
  public Set<DiskFormat> writableFormats() {
    return EnumSet.of(DiskFormat.RAW, DiskFormat.VHD_FIXED);
  }

  @Override
  public DiskFormat detect(Path source) throws ComputeImageException {
    try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
      long size = ch.size();
      byte[] head = new byte[(int) Math.min(size, 512)];
      readAt(ch, head, 0);
      if (head.length >= 4 && ByteBuffer.wrap(head).getInt(0) == Qcow2Header.MAGIC) {
        return DiskFormat.QCOW2;
      }
      String h8 = head.length >= 8 ? new String(head, 0, 8, StandardCharsets.ISO_8859_1) : "";
      if (h8.equals("vhdxfile")) {
        throw new UnsupportedFeatureException(source + " is a VHDX image; only qcow2, raw and "
            + "fixed VHD are read");
      }
      if (h8.startsWith("KDMV") || h8.startsWith("# Disk D")) {
        throw new UnsupportedFeatureException(source + " is a VMDK image; only qcow2, raw and "
            + "fixed VHD are read");
      }
      String other = otherFormat(head);
      if (other != null) {
        throw new UnsupportedFeatureException(source + " is a " + other + " image; only qcow2, raw"
            + " and fixed VHD are read (convert it with qemu-img convert -O qcow2 first)");
      }
      if (h8.equals("conectix")) {
        throw new UnsupportedFeatureException(source + " is a dynamic or differencing VHD; only "
            + "fixed VHD is read");
      }
      if (size >= VhdFooter.SIZE + 512 && size % 512 == 0) {
        byte[] foot = new byte[VhdFooter.SIZE];
        readAt(ch, foot, size - VhdFooter.SIZE);
        if (VhdFooter.isFooter(foot)) {
          if (VhdFooter.diskType(foot) != VhdFooter.TYPE_FIXED) {
            throw new UnsupportedFeatureException(source + " is a VHD of disk type "
                + VhdFooter.diskType(foot) + "; only fixed VHD (type 2) is read");
          }
          return DiskFormat.VHD_FIXED;
        }
      }
      return DiskFormat.RAW;
    } catch (NoSuchFileException e) {
      throw new InvalidReferenceException("disk image " + source + " does not exist");
    } catch (IOException e) {
      throw new LocalStorageException(
          "cannot read disk image " + source + ": " + LocalStorageException.describe(e, source), e);
    }
  }

  @Override
  public ConversionResult convert(Path source, Path destination, DiskFormat target,
      ProgressListener listener, Cancellation cancellation) throws ComputeImageException {
    return convert(source, destination, target, Durability.FLUSHED, listener, cancellation);
  }

  /**
   * {@inheritDoc} A converter created with {@code sync = false} never flushes, whatever is asked.
   */
  @Override
  public ConversionResult convert(Path source, Path destination, DiskFormat target,
      Durability durability, ProgressListener listener, Cancellation cancellation)
      throws ComputeImageException {
    boolean sync = this.sync && durability == Durability.FLUSHED;
    if (!writableFormats().contains(target)) {
      throw new UnsupportedFeatureException("cannot write " + target + " (writes RAW and "
          + "VHD_FIXED) for " + destination);
    }
    DiskFormat from = detect(source);
    String task = destination.getFileName().toString();
    try (UnitSource src = open(source, from)) {
      long size = src.size();
      boolean vhd = target == DiskFormat.VHD_FIXED;
      long dataSize = vhd ? (size + 511) / 512 * 512 : size;
      listener.started(task, "convert " + source.getFileName() + " (" + from + ") to "
          + target, size);
      if (src instanceof Qcow2Source q && q.compressionType() == 1
          && !ZstdDecoder.nativeAvailable()) {
        listener.note("native zstd (zstd-jni) is not available on this platform ("
            + ZstdDecoder.nativeLoadFailure() + "); using the slower pure-Java zstd decoder");
      }
      long written;
      try (OutputFile out = OutputFile.create(destination, !vhd)) {
        if (sync) {
          out.flushInBackground(FLUSH_EVERY);
        }
        written = new ConversionJob(src, out, !vhd, threads, listener, task, cancellation).run();
        if (vhd) {
          if (dataSize > size) {
            out.write(new byte[(int) (dataSize - size)], 0, (int) (dataSize - size), size);
          }
          byte[] footer = VhdFooter.fixed(dataSize, clock.instant(), UUID.randomUUID());
          out.write(footer, 0, footer.length, dataSize);
          out.commit(dataSize + VhdFooter.SIZE, sync);
        } else {
          out.commit(size, sync);
        }
      }
      listener.finished(task);
      // a fixed VHD shows its size rounded up to whole sectors and has no holes: all of it is data
      return vhd
          ? new ConversionResult(destination, from, target, dataSize, dataSize)
          : new ConversionResult(destination, from, target, size, written);
    } catch (ComputeImageException e) {
      throw e;
    } catch (MalformedDiskIOException e) {
      throw new MalformedImageException("malformed image " + source + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new LocalStorageException("converting " + source + " to " + destination + " failed: "
          + LocalStorageException.describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("conversion of " + source + " interrupted", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("converting " + source + ": " + e, e);
    }
  }

  private UnitSource open(Path source, DiskFormat format)
      throws IOException, ComputeImageException {
    switch (format) {
      case QCOW2:
        return new Qcow2Source(Qcow2Image.open(source), unitBytes);
      case VHD_FIXED: {
        RawFileDevice dev = RawFileDevice.open(source);
        try {
          BlockDevice data = new SliceDevice(dev, 0, dev.size() - VhdFooter.SIZE);
          return new DeviceSource(data, unitBytes, dev);
        } catch (IOException | RuntimeException e) {
          dev.close();
          throw e;
        }
      }
      default:
        RawFileDevice raw = RawFileDevice.open(source);
        return new DeviceSource(raw, unitBytes, raw);
    }
  }

  /**
   * Names the disk image formats recognised by their first bytes that this converter does not
   * read, so that they are refused instead of being copied as raw data.
   *
   * @return the format's name, or null
   */
  static String otherFormat(byte[] head) {
    String start = new String(head, 0, Math.min(head.length, 64), StandardCharsets.ISO_8859_1);
    if (head.length >= 68 && ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .getInt(64) == 0xbeda107f) {
      return "VirtualBox VDI";
    }
    if (start.startsWith("QED\0")) {
      return "QED";
    }
    if (start.startsWith("WithoutFreeSpace") || start.startsWith("WithouFreSpacExt")) {
      return "Parallels";
    }
    if (start.startsWith("COWD")) {
      return "VMware COWD";
    }
    return null;
  }

  private static void readAt(FileChannel ch, byte[] b, long pos) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(b);
    while (buf.hasRemaining()) {
      if (ch.read(buf, pos + buf.position()) < 0) {
        break;
      }
    }
  }
}
