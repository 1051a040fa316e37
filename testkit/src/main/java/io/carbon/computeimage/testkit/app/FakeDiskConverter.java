package io.carbon.computeimage.testkit.app;

import io.carbon.computeimage.ports.disk.ConversionResult;
import io.carbon.computeimage.ports.disk.DiskConverter;
import io.carbon.computeimage.ports.disk.Durability;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A converter that copies bytes (a "qcow2" here is any file) and counts conversions. */
public final class FakeDiskConverter implements DiskConverter {
  private final AtomicInteger conversions = new AtomicInteger();
  private volatile ComputeImageException failWith;
  private volatile DiskFormat detected = DiskFormat.QCOW2;
  private volatile Durability lastDurability;

  /** @return the durability asked by the last conversion (FLUSHED through the 5-argument call) */
  public Durability lastDurability() {
    return lastDurability;
  }

  /** @return how many conversions ran */
  public int conversions() {
    return conversions.get();
  }

  /**
   * Makes the next conversions fail.
   *
   * @param e the failure, or null to succeed again
   */
  public void failWith(ComputeImageException e) {
    this.failWith = e;
  }

  /**
   * Sets what {@link #detect} reports for every file.
   *
   * @param format the format to report (default {@code QCOW2})
   */
  public void detectAs(DiskFormat format) {
    this.detected = format;
  }

  @Override
  public String name() {
    return "fake-converter";
  }

  @Override
  public Set<DiskFormat> readableFormats() {
    return Set.of(DiskFormat.QCOW2, DiskFormat.RAW);
  }

  @Override
  public Set<DiskFormat> writableFormats() {
    return Set.of(DiskFormat.RAW, DiskFormat.VHD_FIXED);
  }

  @Override
  public DiskFormat detect(Path source) {
    return detected;
  }

  @Override
  public ConversionResult convert(
      Path source,
      Path destination,
      DiskFormat target,
      Durability durability,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    ConversionResult r = convert(source, destination, target, listener, cancellation);
    lastDurability = durability;
    return r;
  }

  @Override
  public ConversionResult convert(
      Path source, Path destination, DiskFormat target, ProgressListener listener, Cancellation cancellation)
      throws ComputeImageException {
    lastDurability = Durability.FLUSHED;
    cancellation.check();
    if (failWith != null) {
      throw failWith;
    }
    conversions.incrementAndGet();
    try {
      Path tmp = destination.resolveSibling(destination.getFileName() + ".part");
      Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      long size = Files.size(destination);
      return new ConversionResult(destination, DiskFormat.QCOW2, target, size, size);
    } catch (IOException e) {
      throw new LocalStorageException("cannot convert " + source + ": " + e, e);
    }
  }
}
