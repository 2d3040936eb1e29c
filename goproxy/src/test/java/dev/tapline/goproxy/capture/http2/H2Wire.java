package dev.tapline.goproxy.capture.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Settings;

/** Bytes one side writes with Netty's own HTTP/2 frame writer, collected from an embedded channel. */
class H2Wire {
    final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter());
    final ChannelHandlerContext ctx = channel.pipeline().firstContext();
    final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();

    /** What a client sends first: the connection preface and its SETTINGS. */
    static byte[] clientPreface() {
        H2Wire w = new H2Wire();
        w.channel.write(Unpooled.wrappedBuffer(Http2CodecUtil.connectionPrefaceBuf()));
        w.writer.writeSettings(w.ctx, new Http2Settings(), w.ctx.newPromise());
        return w.bytes();
    }

    /** Everything written so far, taken out of the channel. */
    byte[] bytes() {
        channel.flush();
        ByteBuf all = Unpooled.buffer();
        for (Object o; (o = channel.readOutbound()) != null;) {
            ByteBuf b = (ByteBuf) o;
            all.writeBytes(b);
            b.release();
        }
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        all.release();
        return out;
    }
}
