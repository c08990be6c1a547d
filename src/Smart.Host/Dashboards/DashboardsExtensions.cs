using Microsoft.Extensions.FileProviders;

namespace Smart.Host.Dashboards;

public static class DashboardsExtensions
{
    /// <summary>
    /// Serves <c>dashboards/</c>: <c>/</c> the ops-centre screen, <c>/worker/</c> the grid-worker app, <c>/admin/</c> the
    /// administration page (people, district, duty rosters), plus
    /// <c>/shared</c> and <c>/vendor</c> (bundled libraries: nothing is loaded from a CDN at run time).
    /// </summary>
    public static WebApplication UseDashboards(this WebApplication app)
    {
        var root = Path.GetFullPath(app.Configuration["Dashboards:Path"] ?? Path.Combine(app.Environment.ContentRootPath, "..", "..", "dashboards"));
        if (!Directory.Exists(root))
        {
            app.Logger.LogWarning("Dashboards folder {Path} not found; set Dashboards__Path. The API and hub still work.", root);
            return app;
        }
        Mount(app, root, "ops-centre", "");
        Mount(app, root, "grid-worker", "/worker");
        Mount(app, root, "admin", "/admin");
        Mount(app, root, "shared", "/shared");
        Mount(app, root, "vendor", "/vendor");
        return app;
    }

    private static void Mount(WebApplication app, string root, string folder, string path)
    {
        var dir = Path.Combine(root, folder);
        if (!Directory.Exists(dir))
        {
            if (folder == "vendor") app.Logger.LogWarning("{Dir} is missing: run ./smart run (it runs npm ci and the dashboard build)", dir);
            return;
        }
        var files = new PhysicalFileProvider(dir);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = path });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = path });
    }
}
