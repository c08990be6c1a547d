using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Smart.Core;
using Smart.Core.Demo;
using Smart.Host.Infrastructure;

namespace Smart.Host.Dashboards;

public static class WelcomeBanner
{
    /// <summary>Once the host listens: where the screens are and, in demo mode, who can log in (DESIGN §12).</summary>
    public static WebApplication PrintWelcomeWhenStarted(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
            var endpoints = app.Services.GetRequiredService<Endpoints>();
            Console.WriteLine($"""

                ==== 智慧社区监测 Smart Community Monitoring ====
                运营中心 Ops centre:   {url}/
                网格员 Grid worker:    {url}/worker/
                管理 Administration:   {url}/admin/
                API:                   {url}/openapi/v1.json   health: {url}/readyz
                MQTT:                  {endpoints.MqttUrl}   InfluxDB: {endpoints.InfluxUrl}
                """);
            if (!app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled) return;
            var district = app.Services.GetRequiredService<DemoDistrict>();
            Console.WriteLine("演示账号 Demo logins (username / password):");
            foreach (var role in new[] { Role.Operator, Role.CommunityStaff, Role.StreetStaff, Role.GridWorker, Role.Admin })
            {
                var people = district.People.Where(p => p.Role == role).Take(2).Select(p => $"{p.Username} / {district.Logins[p.Username]}");
                Console.WriteLine($"  {role,-15} {string.Join("   ", people)}");
            }
            Console.WriteLine("模拟设备 Simulate devices: ./smart sim demo   (Ctrl-C stops the host and everything it started)\n");
        });
        return app;
    }
}
